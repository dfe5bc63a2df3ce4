"""Words and formulas for the step table page, with the run's own numbers plugged in, by section.

The page only lays these out: every number in a sentence or formula is formatted here
from a :class:`~core.maths.training.Trajectory` (and :mod:`core.maths.theory`), so the page never does
arithmetic on parameters. Formulas are LaTeX strings for ``st.latex``; sentences are
plain text (safe for Markdown: they never contain user text, only formatted numbers).

One module per section of the page: :mod:`.introduction` (the start), :mod:`.worked_round`
(one round, numbers plugged in), :mod:`.derivation` (where the gradient comes from),
:mod:`.notice` (what to notice), :mod:`.precision` (hand calculation vs full precision) and
:mod:`.loop_code` (the loop as code); :mod:`.latex` holds the formulas' shared pieces.
"""

from core.words.explain.derivation import DerivationLine, derivation
from core.words.explain.introduction import Introduction, introduction
from core.words.explain.latex import relation  # also used by the Your-turn words
from core.words.explain.loop_code import training_loop_code
from core.words.explain.notice import Fact, what_to_notice
from core.words.explain.precision import precision_note
from core.words.explain.worked_round import Round, RoundPart, one_round

# Former names of core.words.notation.latex / latex_operand, kept only while code in flight
# (core/words/your_turn.py) still imports them from here. New code imports core.words.notation.
from core.words.notation import latex as lead
from core.words.notation import latex as num
from core.words.notation import latex_operand as operand

__all__ = [
    "DerivationLine",
    "Fact",
    "Introduction",
    "Round",
    "RoundPart",
    "derivation",
    "introduction",
    "lead",
    "num",
    "one_round",
    "operand",
    "precision_note",
    "relation",
    "training_loop_code",
    "what_to_notice",
]
