"""In chromium: an editor signs in, fixes a speaker, links Hegseth's 5% quote; no script runs."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, Statement, StatementLink
from tests.browser.conftest import DESKTOP, _open_tab
from tests.editor.conftest import editors_group
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory
NOTE = "Hegseth's 5% refers to the Hague 2035 target"
XSS_ARTICLE = """---
title: Allies <script>window.__xss=3</script> argue over spending
published: 2025-06-20
---
BRUSSELS — Ministers met on Friday. <img src=x onerror="window.__xss=4"> The talks were long.
“We must spend more <script>window.__xss=1</script> and <img src=x onerror="window.__xss=2"> \
now, at 3.5% of GDP,” Mark Rutte said.
The meeting ended late.
"""


@pytest.fixture
def editor_user(site):
    user = UserFactory(username="editor-b")
    user.groups.add(editors_group())
    return user


def sign_in(tab, username: str):
    tab.goto("/accounts/login/?next=/editor/")
    tab.page.fill("#id_username", username)
    tab.page.fill("#id_password", PASSWORD)
    tab.page.click("button[type=submit]:has-text('Sign in')")
    tab.page.wait_for_url(re.compile(r".*/editor/$"))


def test_editor_fixes_a_speaker_links_the_quote_and_sees_it_public(chromium, site, editor_user):
    call_command("ingest_articles", str(settings.SAMPLE_ARTICLES_DIR))
    statement = Statement.objects.get(text__contains="at that level of 5%")
    statement.speaker = None  # a mis-attribution for the editor to fix (recorded in history)
    statement.save()
    context, tab = _open_tab(chromium, site, DESKTOP)
    try:
        sign_in(tab, "editor-b")
        page = tab.page
        assert "Review queue" in page.content()
        page.click(f"a[href='/editor/statements/{statement.pk}/']")
        page.wait_for_selector("#speaker-heading")
        assert "nobody (unattributed)" in page.inner_text("#current-speaker")
        page.select_option("#id_speaker", label="Pete Hegseth")
        page.click("button:has-text('Save speaker')")
        page.wait_for_selector("#current-speaker:has-text('Pete Hegseth')")
        page.select_option("#id_members", label="United States")
        page.click("button:has-text('Save allies and targets')")
        page.wait_for_selector("button[data-figure^='USA-']")
        page.fill("input[aria-label='Note for target 5']", NOTE)
        page.click("button[data-target='5']")
        page.locator(".link", has_text=NOTE).wait_for()
        page.click("button[data-figure^='USA-']")
        page.locator(".link", has_text="United States").wait_for()
        tab.screenshot("editor-statement")
        links = StatementLink.objects.filter(statement=statement)
        assert links.count() == 2 and {link.created_by.username for link in links} == {"editor-b"}

        tab.goto(f"/statements/{statement.pk}/")
        links_text = page.inner_text("section[aria-labelledby='links-heading']")
        assert NOTE in links_text and "United States" in links_text

        tab.goto(f"/editor/history/statement/{statement.pk}/")
        history = page.inner_text("main")
        assert "editor-b" in history and "speaker" in history and "Pete Hegseth" in history
        assert NOTE in history
        tab.screenshot("editor-history")
        assert tab.errors == [] and tab.outside == []
    finally:
        context.close()


def test_markup_in_quotes_and_text_never_runs(chromium, site, editor_user, tmp_path):
    (tmp_path / "xss.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    call_command("ingest_articles", str(tmp_path))
    article = Article.objects.get(title__contains="argue over spending")
    quotes = list(article.statements.all())
    assert quotes and any("<script>" in s.text for s in quotes)
    context, tab = _open_tab(chromium, site, DESKTOP)
    try:
        sign_in(tab, "editor-b")
        pages = [
            article.get_absolute_url(),
            *[s.get_absolute_url() for s in quotes],
            "/editor/",
            *[f"/editor/statements/{s.pk}/" for s in quotes],
            "/statements/",
        ]
        for path in pages:
            tab.goto(path)
            tab.page.wait_for_load_state("load")
            assert tab.page.evaluate("typeof window.__xss") == "undefined", path
            text = tab.page.inner_text("main")
            assert "<script>window.__xss=1</script>" in text or path == "/statements/", path
            assert tab.page.locator("main img[src=x]").count() == 0, path
        assert not any("page error" in e for e in tab.errors), tab.errors
    finally:
        context.close()
