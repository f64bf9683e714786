"""Per-ally figures, alliance claims, target lists, targets and allies mentioned."""

import datetime

from articles.extraction import extract_article
from articles.extraction.gazetteer import default_gazetteer

GAZETTEER = default_gazetteer()
PUBLISHED = datetime.date(2025, 6, 20)


def extract(text, published=PUBLISHED):
    return extract_article(text, gazetteer=GAZETTEER, published=published)


def figures(text, published=PUBLISHED):
    return [(f.country, f.year, f.metric, f.value) for f in extract(text, published).figures]


def test_percent_figures_with_years():
    text = (
        "Poland devoted 4.12 per cent of GDP to its armed forces in 2024, "
        "up from 1.9 percent in 2014."
    )
    assert figures(text) == [("POL", 2024, "pct_gdp", 4.12), ("POL", 2014, "pct_gdp", 1.9)]


def test_money_figures_and_relative_year():
    text = (
        "Germany's defence budget was €90.6 billion last year. "
        "Britain spent £64.6bn on defence in 2024."
    )
    assert figures(text) == [
        ("DEU", 2024, "spending_eur", 90.6e9),
        ("GBR", 2024, "spending_local", 64.6e9),
    ]


def test_usd_amount_in_dollars():
    assert figures("The United States spent $968bn on its military in 2024.") == [
        ("USA", 2024, "spending_usd", 968e9)
    ]


def test_bounds_increments_shares_and_goals_are_not_figures():
    text = (
        "Estonia spends more than 3% of GDP on defence. "
        "Spain will add an additional €10.5 billion to its defence budget. "
        "The U.S. accounts for about 60 percent of NATO's total defence spending. "
        "Italy plans to reach 2% by 2028. Canada raised defence spending by 0.3% this year."
    )
    assert figures(text) == []


def test_around_counts_as_value():
    assert figures("Spain, the lowest spender, put around 1.28% of GDP into defence in 2024.") == [
        ("ESP", 2024, "pct_gdp", 1.28)
    ]


def test_count_meeting_claims():
    result = extract(
        "Twenty-three of NATO's 32 allies met the 2% guideline in 2024. "
        "All 32 allies now meet the 2 percent target, officials said."
    )
    claims = [(c.kind, c.count, c.of, c.target_pct, c.year) for c in result.aggregate_claims]
    assert claims == [
        ("count_meeting", 23, 32, 2.0, 2024),
        ("count_meeting", 32, 32, 2.0, None),
    ]


def test_shortfall_count_is_not_a_meeting_count_but_list_is_kept():
    result = extract(
        "Only eight countries fell short of the 2% target in 2024: Belgium, Canada, Italy, "
        "Portugal, Slovenia, Spain, Luxembourg and Montenegro."
    )
    assert result.aggregate_claims == ()
    (target_list,) = result.target_lists
    assert (target_list.target_pct, target_list.year, target_list.meets) == (2.0, 2024, False)
    assert target_list.countries == ("BEL", "CAN", "ITA", "PRT", "SVN", "ESP", "LUX", "MNE")


def test_meeting_list_takes_target_and_year_from_context():
    result = extract(
        "The alliance set a goal of 2% of GDP in 2014. "
        "Countries meeting the target include Poland, Estonia and the Netherlands."
    )
    (target_list,) = result.target_lists
    assert (target_list.target_pct, target_list.year, target_list.meets) == (2.0, 2014, True)
    assert target_list.countries == ("POL", "EST", "NLD")


def test_total_spending_with_conversion_and_relative_year():
    result = extract(
        "Allies' combined military spending hit $1.47 trillion (€1.3 trillion) last year."
    )
    (claim,) = result.aggregate_claims
    assert (claim.kind, claim.value, claim.currency, claim.year) == (
        "total_spending",
        1.47e12,
        "USD",
        2024,
    )


def test_relative_year_inferred_without_publication_date():
    result = extract(
        "Defence outlays grew in 2023 and in 2024. NATO's total spending reached $1.3 trillion "
        "last year. Allies aim for 5% by 2035.",
        published=None,
    )
    assert result.reference_year.year == 2024 and result.reference_year.inferred
    assert result.aggregate_claims[0].year == 2023


def test_targets_mentioned():
    result = extract(
        "Leaders agreed on 3.5% of GDP for core defence plus 1.5% for defence-related "
        "investment, a 5% total, up from the 2% guideline. Britain pledged 2.5% of GDP."
    )
    assert result.targets_mentioned == (1.5, 2.0, 3.5, 5.0)


def test_members_mentioned_exclusions():
    result = extract(
        "BRUSSELS — Ministers met in Brussels after the Munich conference, "
        "recalling the Berlin Wall "
        "and the Wales summit. European allies and Washington disagreed; The Hague will host it. "
        "Turkish and Dutch officials and the U.S. joined us."
    )
    assert result.members_mentioned == ("USA", "NLD", "TUR")
    assert result.dateline == "BRUSSELS"
