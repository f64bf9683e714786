"""Editor pages: who gets in, CSRF, the queue, linking, verdicts, history, public pages."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from articles import editing
from articles.models import ReportedFigure, Statement, StatementLink
from spending.models import Target
from tests.editor.conftest import snapshot

pytestmark = pytest.mark.django_db

PAGES = ["/editor/", "/editor/statements/{s}/", "/editor/claims/", "/editor/history/statement/{s}/"]


def posts(statement, link, claim, record) -> list[tuple[str, dict]]:
    s = statement.pk
    return [
        (f"/editor/statements/{s}/speaker/", {"speaker": ""}),
        (f"/editor/statements/{s}/new-speaker/", {"name": "Intruder"}),
        (f"/editor/statements/{s}/about/", {"members": [], "targets": []}),
        (f"/editor/statements/{s}/link/", {"target": "2", "note": "x"}),
        (f"/editor/statements/{s}/status/", {"status": "rejected"}),
        (f"/editor/links/{link.pk}/remove/", {}),
        (f"/editor/claims/reported_figure/{claim.pk}/verdict/", {}),
        (f"/editor/history/statement/revert/{record.history_id}/", {}),
    ]


@pytest.fixture
def setup(hegseth, claim, editor):
    from spending.models import Target

    link = editing.link_statement(
        statement=hegseth, target=Target.objects.get(code="5"), note="", user=editor
    )
    editing.mark_reviewed(statement=hegseth, user=editor)
    return hegseth, link, claim, hegseth.history.last()


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_get_is_sent_to_the_sign_in_page(client, hegseth, path):
    response = client.get(path.format(s=hegseth.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/editor/")


@pytest.mark.parametrize("path", PAGES)
def test_signed_in_non_editor_gets_403(reader_client, hegseth, path):
    assert reader_client.get(path.format(s=hegseth.pk)).status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_writes_by_anonymous_or_non_editors_are_403_and_change_nothing(who, setup, reader_client):
    client = Client() if who == "anonymous" else reader_client
    before = snapshot()
    for url, data in posts(*setup):
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_editor_posts_without_csrf_token_are_refused(editor, setup):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    before = snapshot()
    for url, data in posts(*setup):
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_every_editor_form_carries_a_csrf_token(editor_client, setup):
    statement = setup[0]
    for path in PAGES:
        html = editor_client.get(path.format(s=statement.pk)).content.decode()
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", html, flags=re.S)
        assert forms, path
        for form in forms:
            assert "csrfmiddlewaretoken" in form, (path, form[:200])


def test_the_queue_lists_pending_statements_oldest_article_first(editor_client, hegseth, editor):
    from tests.pages.conftest import make_article_with_quotes

    make_article_with_quotes("A newer article", [("Mark Rutte", "We must do more, now")])
    html = editor_client.get("/editor/").content.decode()
    assert html.index("Hegseth urges allies") < html.index("A newer article")
    assert f"/editor/statements/{hegseth.pk}/" in html
    editing.mark_reviewed(statement=hegseth, user=editor)
    html = editor_client.get("/editor/").content.decode()
    assert f"/editor/statements/{hegseth.pk}/" not in html


def test_editor_links_a_quote_and_the_public_pages_show_it(editor_client, hegseth, usa_2025):
    page = editor_client.get(f"/editor/statements/{hegseth.pk}/").content.decode()
    assert f'name="figure" value="{usa_2025.pk}"' in page  # suggested: USA 2025, latest edition
    assert 'name="target" value="5"' in page
    note = "Hegseth's 5% refers to the Hague 2035 target"
    response = editor_client.post(
        f"/editor/statements/{hegseth.pk}/link/", {"target": "5", "note": note}
    )
    assert response.status_code == 302
    editor_client.post(f"/editor/statements/{hegseth.pk}/link/", {"figure": usa_2025.pk})
    assert StatementLink.objects.filter(statement=hegseth).count() == 2
    public = Client()
    for url in [
        f"/statements/{hegseth.pk}/",
        hegseth.speaker.get_absolute_url(),
        hegseth.article.get_absolute_url(),
        "/countries/united-states/",
    ]:
        html = public.get(url).content.decode()
        assert "Hague 2035 target" in html, url
    api = public.get(f"/api/v1/statements/{hegseth.pk}/").json()
    assert {link["target"] for link in api["links"]} == {"5", None}


def test_removing_a_link_then_restoring_it(editor_client, hegseth, editor):
    from spending.models import Target

    link = editing.link_statement(
        statement=hegseth, target=Target.objects.get(code="5"), note="n", user=editor
    )
    editor_client.post(f"/editor/links/{link.pk}/remove/")
    assert not StatementLink.objects.filter(pk=link.pk).exists()
    page = editor_client.get(f"/editor/statements/{hegseth.pk}/").content.decode()
    removed = StatementLink.history.filter(id=link.pk).first()
    assert f"/editor/history/link/revert/{removed.history_id}/" in page
    editor_client.post(f"/editor/history/link/revert/{removed.history_id}/")
    assert StatementLink.objects.filter(pk=link.pk).exists()


def test_speaker_fix_new_speaker_about_and_review(editor_client, hegseth):
    url = f"/editor/statements/{hegseth.pk}"
    editor_client.post(f"{url}/speaker/", {"speaker": ""})
    hegseth.refresh_from_db()
    assert hegseth.speaker is None
    editor_client.post(
        f"{url}/new-speaker/", {"name": "Peter Hegseth", "role": "Secretary", "aliases": "Pete"}
    )
    hegseth.refresh_from_db()
    assert hegseth.speaker.name == "Peter Hegseth"
    from spending.models import MemberState

    pol = MemberState.objects.get(iso3="POL")
    editor_client.post(f"{url}/about/", {"members": [pol.pk], "targets": ["2"]})
    assert list(hegseth.members.values_list("iso3", flat=True)) == ["POL"]
    editor_client.post(f"{url}/status/", {"status": "rejected"})
    hegseth.refresh_from_db()
    assert hegseth.review_status == "rejected"
    assert Client().get(f"/statements/{hegseth.pk}/").status_code == 404
    assert editor_client.get(f"{url}/").status_code == 200  # still reachable by editors
    history = editor_client.get(f"/editor/history/statement/{hegseth.pk}/").content.decode()
    assert "editor" in history and "review_status" in history and "speaker" in history


def test_a_statement_without_a_speaker_in_its_text_says_so(editor_client, hegseth):
    """It read: Found in the text: “nobody”, as if the article had written "nobody"."""
    hegseth.speaker_as_written = ""
    hegseth.save(update_fields=["speaker_as_written"])
    html = editor_client.get(f"/editor/statements/{hegseth.pk}/").content.decode()
    assert "Found in the text: no speaker" in html and "“nobody”" not in html
    hegseth.speaker_as_written = "Hegseth"
    hegseth.save(update_fields=["speaker_as_written"])
    html = editor_client.get(f"/editor/statements/{hegseth.pk}/").content.decode()
    assert "Found in the text: “Hegseth”" in html


def test_history_page_reverts(editor_client, hegseth, editor):
    first = hegseth.history.last()
    editing.reject_statement(statement=hegseth, user=editor)
    html = editor_client.get(f"/editor/history/statement/{hegseth.pk}/").content.decode()
    assert f"/editor/history/statement/revert/{first.history_id}/" in html
    response = editor_client.post(
        f"/editor/history/statement/revert/{first.history_id}/", follow=True
    )
    hegseth.refresh_from_db()
    assert hegseth.review_status == "pending"
    # the times say their zone (editors are not all in UTC)
    html = response.content.decode()
    assert '<th scope="col">When (UTC)</th>' in html
    assert f"Reverted to the version of {first.history_date:%Y-%m-%d %H:%M} UTC." in html


def test_verdict_confirmed_publishes_claim_review_json_ld(editor_client, claim, hegseth):
    public = Client()
    html = public.get(f"/statements/{hegseth.pk}/").content.decode()
    assert "application/ld+json" not in html
    response = editor_client.post(
        f"/editor/claims/reported_figure/{claim.pk}/verdict/",
        {f"reported_figure-{claim.pk}-verdict": "", f"reported_figure-{claim.pk}-note": ""},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.editor_verdict == "differs"
    for url in [f"/statements/{hegseth.pk}/", hegseth.article.get_absolute_url()]:
        html = public.get(url).content.decode()
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1, url
        data = json.loads(blocks[0])
        assert data["@type"] == "ClaimReview"
        assert data["itemReviewed"]["author"] == {"@type": "Person", "name": "Pete Hegseth"}
        assert data["reviewRating"]["ratingValue"] == 1
        assert "0.31 percentage points" in data["reviewRating"]["alternateName"]
        assert "Editor confirmed" in html


def test_override_needs_a_note(editor_client, claim):
    editor_client.post(
        f"/editor/claims/reported_figure/{claim.pk}/verdict/",
        {f"reported_figure-{claim.pk}-verdict": "matches"},
    )
    claim.refresh_from_db()
    assert claim.editor_verdict == ""
    assert ReportedFigure.objects.get(pk=claim.pk).confirmed_at is None


def test_sign_in_page_and_navigation(client, editor):
    html = client.get("/accounts/login/").content.decode()
    assert "csrfmiddlewaretoken" in html and 'name="password"' in html
    assert 'href="/accounts/login/"' in client.get("/methodology/").content.decode()
    client.force_login(editor)
    html = client.get("/methodology/").content.decode()
    assert 'href="/editor/"' in html and 'action="/accounts/logout/"' in html
    assert client.get("/accounts/logout/").status_code == 405  # logout is POST only
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_rejected_statement_not_in_queue_public_or_api(editor_client, hegseth, editor):
    editing.reject_statement(statement=hegseth, user=editor)
    assert f"/editor/statements/{hegseth.pk}/" not in editor_client.get("/editor/").content.decode()
    assert Client().get(f"/api/v1/statements/{hegseth.pk}/").status_code == 404
    assert Statement.objects.filter(pk=hegseth.pk).exists()


def test_the_claims_page_takes_the_api_claims_filters(editor_client, claim):
    """/editor/claims/ filters with the API's claims filters and selector: the same claims."""
    from articles.models import AggregateClaim

    other = AggregateClaim.objects.create(
        article=claim.article, kind="count_meeting", year=2024, count=22, of_total=32,
        sentence="22 of 32 allies met 2%", start=0, end=10, verdict="matches",
    )  # fmt: skip
    queries = [
        "kind=reported_figure",
        "kind=aggregate_claim",
        "ally=usa",
        "verdict=differs",
        "year=2024",
        f"article={claim.article_id}",
        "published_after=2025-07-01",
    ]
    shown = {}
    for query in queries:
        api = editor_client.get(f"/api/v1/claims/?{query}").json()["results"]
        html = editor_client.get(f"/editor/claims/?show=all&{query}").content.decode()
        shown[query] = set(re.findall(r'<li class="claim" id="(\w+)-(\d+)"', html))
        assert shown[query] == {(row["kind"], str(row["id"])) for row in api}, query
    assert shown["kind=aggregate_claim"] == {("aggregate_claim", str(other.pk))}
    assert shown["ally=usa"] == {("reported_figure", str(claim.pk))}
    assert shown["published_after=2025-07-01"] == set()
    bad = editor_client.get("/editor/claims/?ally=ZZZ")
    assert bad.status_code == 400
    assert "ally" in bad.content.decode()
    unknown = editor_client.get("/editor/claims/?nope=1")
    assert unknown.status_code == 400
    assert "It accepts: kind, ally" in unknown.content.decode()


def test_a_links_history_names_its_figure_and_target(
    editor_client, hegseth, editor, usa_2025, django_assert_num_queries
):
    """Was "figure 1203 target 4": ids, the target's even an internal one; read with the
    link's records (the statement's history reads all its versions' allies and targets at
    once: 10 queries here, 21 when it read them per version). The heading names the object
    with the rows its name reads joined to it: the link's page read its figure, ally and
    edition again for the heading (9 queries, now 6), the statement's its speaker (11, now
    10)."""
    link = editing.link_statement(
        statement=hegseth,
        figure=usa_2025,
        target=Target.objects.get(code="5"),
        note="",
        user=editor,
    )
    pages = [
        (f"/editor/history/statement/{hegseth.pk}/", 10),
        (f"/editor/history/link/{link.pk}/", 6),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            html = editor_client.get(url).content.decode()
        assert f"United States 2025: {usa_2025.value}% of GDP (NATO_DIE2026) target 5% of GDP" in (
            html
        ), url
        assert f"figure {usa_2025.pk}" not in html


def test_a_claims_history_names_its_ally_with_the_claim(
    editor_client, claim, editor, django_assert_num_queries
):
    """The heading ("USA 2024 pct_gdp = 3.5") read the claim's ally in a query of its own (8)."""
    editing.set_claim_verdict(claim=claim, user=editor)
    with django_assert_num_queries(7):
        html = editor_client.get(f"/editor/history/reported_figure/{claim.pk}/").content.decode()
    assert f"History: {claim}" in html
