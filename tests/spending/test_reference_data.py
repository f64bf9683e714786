"""The loader: complete, sourced, idempotent, and all-or-nothing on bad rows."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from spending.models import AggregateFigure, MemberState, Metric, Source, SpendingFigure, Target
from spending.reference_data import ReferenceDataError, RemovalRefused, load_reference_data

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        SpendingFigure.objects.values_list(
            "pk", "member__iso3", "year", "metric", "value", "estimate", "source__code"
        )
    )


def test_loads_all_allies_targets_and_editions():
    assert MemberState.objects.count() == 32
    assert Target.objects.count() == 5
    assert set(Source.objects.editions().values_list("code", flat=True)) >= {
        "NATO_DIE2026",
        "NATO_DE2024_GRAPHICNEWS",
        "NATO_SGAR2023_EXPRESSSTAR",
        "NATO_2024REPORT_KNEWS",
        "NATO_DE2025_PRESS",
    }
    # 31 allies x 2014-2026 x 3 metrics in the 2026 edition.
    assert SpendingFigure.objects.filter(source__code="NATO_DIE2026").count() == 31 * 13 * 3
    # NATO total and Europe + Canada x 2014-2026 x (% of GDP, US$ current, US$ 2021 prices).
    assert AggregateFigure.objects.count() == 2 * 13 * 3
    assert not SpendingFigure.objects.filter(source__code__startswith="SIPRI").exists()


def test_nato_totals_at_constant_2021_prices_are_loaded_from_the_2026_edition():
    """PROVENANCE.md, "Constant 2021 prices": NATO's Table 2 of the July 2026 edition."""
    constant = {
        (f.area, f.year): f for f in AggregateFigure.objects.filter(metric=Metric.SPENDING_USD_2021)
    }
    assert len(constant) == 26
    assert constant["NATO_TOTAL", 2024].value == Decimal("1330026")
    assert constant["NATO_EUROPE_CANADA", 2024].value == Decimal("479916")
    assert constant["NATO_TOTAL", 2014].value == Decimal("1026158")
    assert constant["NATO_TOTAL", 2026].estimate and not constant["NATO_TOTAL", 2024].estimate
    assert {f.source.code for f in constant.values()} == {"NATO_DIE2026"}
    # 2021 is the base year: constant and current prices agree.
    for area in ("NATO_TOTAL", "NATO_EUROPE_CANADA"):
        current = AggregateFigure.objects.get(area=area, year=2021, metric=Metric.SPENDING_USD)
        assert constant[area, 2021].value == current.value


def test_iceland_is_a_member_without_figures():
    iceland = MemberState.objects.get(iso3="ISL")
    assert iceland.reports_figures is False
    assert not iceland.figures.exists()


def test_every_edition_is_kept_side_by_side():
    usa_2024 = dict(
        SpendingFigure.objects.filter(
            member__iso3="USA", year=2024, metric=Metric.PCT_GDP
        ).values_list("source__code", "value")
    )
    assert usa_2024 == {
        "NATO_DE2024_GRAPHICNEWS": Decimal("3.38"),
        "NATO_2024REPORT_KNEWS": Decimal("3.19"),
        "NATO_DIE2026": Decimal("3.30"),
    }


def test_running_twice_leaves_the_same_rows():
    before = snapshot()
    load_reference_data(settings.REFERENCE_DATA_DIR)
    assert snapshot() == before


def test_figures_removed_from_the_files_are_removed(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.REFERENCE_DATA_DIR, data_dir)
    path = data_dir / "nato_defence_expenditure_2026e.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("ALB,")), "utf-8")
    report = load_reference_data(data_dir, allow_removals=True)
    assert report.figures_removed == 3
    assert not SpendingFigure.objects.filter(member__iso3="ALB", year=2026).exists()


@pytest.mark.parametrize(
    ("filename", "bad_line", "message"),
    [
        (
            "nato_defence_expenditure.csv",
            "ALB,Albania,2014,abc,178,16.65,false,NATO_DIE2026",
            "pct_gdp",
        ),
        ("nato_defence_expenditure.csv", "XXX,Nowhere,2014,1.0,1,1,false,NATO_DIE2026", "iso3"),
        (
            "nato_defence_expenditure.csv",
            "ALB,Albania,2014,120,178,16.65,false,NATO_DIE2026",
            "range",
        ),
        ("nato_defence_expenditure.csv", "ALB,Albania,2014,1.3,178,16.65,false,NOPE", "source_id"),
        ("members.csv", "ab1,Bad,2020-01-01", "iso3"),
        ("members.csv", "AAA,Bad,not-a-date", "accession_date"),
    ],
)
def test_bad_rows_are_reported_by_file_and_line_and_nothing_is_loaded(
    tmp_path, filename, bad_line, message
):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.REFERENCE_DATA_DIR, data_dir)
    path = data_dir / filename
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, bad_line)  # becomes line 4 of the file
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    SpendingFigure.objects.filter(member__iso3="ALB", year=2014).update(value=Decimal("9.99"))
    before = snapshot()

    with pytest.raises(ReferenceDataError) as excinfo:
        load_reference_data(data_dir)

    assert any(e.startswith(f"{filename}:4:") and message in e for e in excinfo.value.errors)
    assert snapshot() == before  # nothing half-loaded, not even the good rows


def test_command_names_the_problem(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.REFERENCE_DATA_DIR, data_dir)
    (data_dir / "targets.csv").write_text("code,name\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"targets\.csv:1: missing column"):
        call_command("load_reference_data", data_dir=data_dir)


def test_command_reports_what_it_loaded(capsys):
    call_command("load_reference_data")
    assert "32 allies" in capsys.readouterr().out


def truncated_copy(tmp_path, filename="nato_defence_expenditure.csv"):
    """The shipped data with one figure file cut down to its header (a truncated download)."""
    data_dir = tmp_path / "data"
    shutil.copytree(settings.REFERENCE_DATA_DIR, data_dir)
    path = data_dir / filename
    header = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(header + "\n", encoding="utf-8")
    return data_dir


def test_a_truncated_file_is_refused_naming_what_it_would_remove(tmp_path):
    data_dir = truncated_copy(tmp_path)
    before = snapshot()
    total = SpendingFigure.objects.count()
    with pytest.raises(RemovalRefused) as excinfo:
        load_reference_data(data_dir)
    message = str(excinfo.value)
    removed = len(excinfo.value.removed)
    assert 0 < removed < total
    assert f"would remove {removed:,} of the {total:,} ally figures" in message
    assert "--allow-removals" in message
    assert excinfo.value.removed[0] in message  # the first few are named
    assert f"and {removed - 5:,} more" in message
    assert snapshot() == before  # nothing written


def test_the_command_refuses_with_a_message_and_a_non_zero_exit(tmp_path):
    data_dir = truncated_copy(tmp_path)
    with pytest.raises(CommandError, match=r"would remove [\d,]+ of the") as excinfo:
        call_command("load_reference_data", data_dir=data_dir)
    assert excinfo.value.returncode == 1
    assert SpendingFigure.objects.filter(source__code="NATO_DIE2026").exists()


def test_removals_go_ahead_when_allowed_and_are_named(tmp_path):
    data_dir = truncated_copy(tmp_path)
    out = StringIO()
    call_command("load_reference_data", data_dir=data_dir, allow_removals=True, stdout=out)
    assert re.search(r"Removed [\d,]+ figure\(s\): \w{3} \d{4} ", out.getvalue())
    load_reference_data(settings.REFERENCE_DATA_DIR)  # restoring the file removes nothing


def test_a_figure_linked_from_a_statement_is_never_removed(tmp_path):
    data_dir = truncated_copy(tmp_path)
    from articles.models import StatementLink
    from tests.factories import StatementFactory, UserFactory

    with pytest.raises(RemovalRefused) as excinfo:  # names the figures the file drops
        load_reference_data(data_dir)
    label = excinfo.value.removed[0]
    iso3, year, metric = label.split()[:3]
    source = label.rsplit("(", 1)[1].rstrip(")")
    figure = SpendingFigure.objects.get(
        member__iso3=iso3, year=int(year), metric=metric, source__code=source
    )
    link = StatementLink.objects.create(
        statement=StatementFactory(), figure=figure, created_by=UserFactory()
    )
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference_data", data_dir=data_dir, allow_removals=True)
    message = str(excinfo.value)
    assert "never removed" in message
    assert f"{figure} <- statement link {link.pk}" in message
    assert "Traceback" not in message
    assert snapshot() == before
    assert SpendingFigure.objects.filter(pk=figure.pk).exists()
