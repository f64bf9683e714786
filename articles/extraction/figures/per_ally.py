"""Per-ally figures of one sentence: shares of GDP and spending amounts, each with its ally
and year."""

from __future__ import annotations

from ..types import PCT_GDP, SPENDING_LOCAL, ReportedFigure
from .allies import _country_for
from .dates import _figure_year
from .lists import _distributed
from .money import METRIC_BY_CURRENCY, _is_alliance_total, _local_currency, _spending_amounts
from .percentages import _may_be_unnamed_allys, _pct_is_figure
from .sentences import Sentence


def sentence_figures(
    text: str, sentence: Sentence, reference: int | None, context_start: int | None = None
) -> list[ReportedFigure]:
    """Per-ally percentage-of-GDP and spending figures stated in one sentence.

    ``context_start`` (a few sentences back) widens the window searched for
    defence wording, so "Hungary reported 2.11%" after a sentence on spending counts."""
    context_start = sentence.start if context_start is None else context_start
    figures: list[ReportedFigure] = []
    numbers = sorted(sentence.percentages + sentence.money, key=lambda n: n.start)
    sentence_text = text[sentence.start : sentence.end].strip()
    for number in sentence.percentages:
        country = _country_for(sentence, text, number.start)
        if country is not None and not _may_be_unnamed_allys(text, sentence, number, country):
            continue
        if country and _pct_is_figure(text, sentence, number, context_start):
            year = _figure_year(text, sentence, number, numbers)
            for each in _distributed(text, sentence, country, number):
                figures.append(
                    ReportedFigure(
                        each.iso3,
                        year,
                        PCT_GDP,
                        number.value,
                        None,
                        number.start,
                        number.end,
                        sentence_text,
                    )
                )
    for number in _spending_amounts(text, sentence):
        country = _country_for(sentence, text, number.start)
        if country is None or _is_alliance_total(text, sentence, number, country):
            continue
        currency = _local_currency(text, number, country.iso3)
        metric = METRIC_BY_CURRENCY.get(currency or "", SPENDING_LOCAL)
        figures.append(
            ReportedFigure(
                country.iso3,
                _figure_year(text, sentence, number, numbers),
                metric,
                number.value,
                currency,
                number.start,
                number.end,
                sentence_text,
            )
        )
    return figures
