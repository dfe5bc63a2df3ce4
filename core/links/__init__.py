"""Page-level link options (hide, note, step, view, lesson, stop, predict) and the built-in lessons.

Pure Python like the rest of ``core``: parsed and validated here, laid out by ``ui/``.
"""

from core.links.lessons import (
    Lesson,
    LessonError,
    Stop,
    load_lessons,
    parse_lesson,
    pinned_query,
    resolve_stop,
    stop_link,
)
from core.links.options import (
    HIDEABLE,
    NOTE_MAX,
    PAGE_VIEWS,
    PAGES,
    VIEW_LABELS,
    VIEWS,
    LinkOptions,
    clamp_step,
    from_query,
    hide_to_text,
    to_query,
)

__all__ = [
    "HIDEABLE",
    "NOTE_MAX",
    "PAGES",
    "PAGE_VIEWS",
    "VIEWS",
    "VIEW_LABELS",
    "Lesson",
    "LessonError",
    "LinkOptions",
    "Stop",
    "clamp_step",
    "from_query",
    "hide_to_text",
    "load_lessons",
    "parse_lesson",
    "pinned_query",
    "resolve_stop",
    "stop_link",
    "to_query",
]
