"""Per-ally figures, alliance-level claims, lists of allies and targets mentioned.

Figures are exact (or "around") values tied to the nearest ally named before them in
the sentence. Bounds ("more than 3%"), increments ("an additional €N billion", "by
0.2%"), shares of the alliance ("50 percent of NATO's GDP"), targets ("the 2% target")
and future goals ("2% by 2030") are not figures.

One module per concern, each rule a named function with a docstring:

- ``sentences``: a sentence with its numbers, years and allies (what every rule reads);
- ``levels``: bounds, increments, goals and target phrases (what kind of level a number is);
- ``allies``: which ally a number belongs to;
- ``dates``: which year a figure is for;
- ``percentages``: per-ally shares of GDP;
- ``money``: per-ally spending amounts and alliance totals;
- ``per_ally``: the figures of one sentence (percentages and money together);
- ``counts``: counts of allies meeting a target;
- ``lists``: lists of allies meeting or missing a target;
- ``mentions``: alliance target levels a sentence mentions.

Target levels are data (``..targets``, from the gazetteer); currencies are in ``..numbers``.
"""

from .allies import CONTINUED_ALLY, IMPLIED_ALLY, is_subject_country
from .counts import count_claims
from .levels import BOUND_BEFORE
from .lists import target_lists
from .mentions import sentence_targets
from .money import total_claims
from .per_ally import sentence_figures
from .sentences import Sentence, build_sentences

__all__ = [
    "BOUND_BEFORE",
    "CONTINUED_ALLY",
    "IMPLIED_ALLY",
    "Sentence",
    "build_sentences",
    "count_claims",
    "is_subject_country",
    "sentence_figures",
    "sentence_targets",
    "target_lists",
    "total_claims",
]
