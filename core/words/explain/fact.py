"""One observation of "What to notice": a title, a sentence with the run's numbers, an optional formula."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """One observation tied to the numbers on screen; ``latex`` is optional."""

    title: str
    text: str
    latex: str | None = None
