"""Words and formulas for the step table page, with the run's own numbers plugged in, by section.

The page only lays these out: every number in a sentence or formula is formatted here
from a :class:`~core.maths.training.Trajectory` (and :mod:`core.maths.theory`), so the page never does
arithmetic on parameters. Formulas are LaTeX strings for ``st.latex``; sentences are
plain text (safe for Markdown: they never contain user text, only formatted numbers).

One module per section of the page: :mod:`.introduction` (the start), :mod:`.worked_round`
(one round, numbers plugged in), :mod:`.derivation` (where the gradient comes from),
:mod:`.rate_derivation` (where r comes from), :mod:`.notice` with :mod:`.shrink` (what to notice),
:mod:`.precision` (hand calculation vs full precision) and :mod:`.loop_code` (the loop as code);
:mod:`.latex` and :mod:`.checkable` hold the formulas' shared pieces (:mod:`.checkable`: enough
digits that every formula adds up on screen).
"""

from core.words.explain.derivation import DerivationLine, derivation
from core.words.explain.introduction import Introduction, introduction
from core.words.explain.loop_code import training_loop_code
from core.words.explain.notice import Fact, what_to_notice
from core.words.explain.precision import precision_note
from core.words.explain.rate_derivation import rate_derivation
from core.words.explain.worked_round import Round, RoundPart, one_round

__all__ = [
    "DerivationLine",
    "Fact",
    "Introduction",
    "Round",
    "RoundPart",
    "derivation",
    "introduction",
    "one_round",
    "precision_note",
    "rate_derivation",
    "training_loop_code",
    "what_to_notice",
]
