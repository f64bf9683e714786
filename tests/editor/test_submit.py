"""The editor pages turn a write's refusals into messages in one place (``_submit``)."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from articles import editing
from articles.editor_views import _submit


class NoteForm(forms.Form):
    note = forms.CharField(max_length=5)


def request_with_messages():
    request = RequestFactory().post("/editor/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def said(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def refuse(error):
    def action(data):
        raise error

    return action


STALE = editing.EditConflict(SimpleNamespace(version=4), 3, [])


@pytest.mark.parametrize(
    ("form_data", "action", "expected"),
    [
        pytest.param(
            {"note": "ok"}, lambda data: data["note"].upper(), (True, "OK", []), id="saved"
        ),
        pytest.param(
            {"note": "far too long"},
            lambda data: pytest.fail("an invalid form is not written"),
            (False, None, ["note: Ensure this value has at most 5 characters (it has 12)."]),
            id="invalid form",
        ),
        pytest.param(
            {"note": "ok"},
            refuse(ValidationError({"note": "Say why."})),
            (False, None, ["Say why."]),
            id="refused",
        ),
        pytest.param({"note": "ok"}, refuse(STALE), (False, None, [STALE.describe()]), id="stale"),
    ],
)
def test_a_writes_refusals_become_messages(form_data, action, expected):
    request = request_with_messages()
    done, result = _submit(request, NoteForm(form_data), action)
    assert (done, result, said(request)) == expected


def test_a_write_without_a_form():
    request = request_with_messages()
    assert _submit(request, None, refuse(ValidationError("Gone."))) == (False, None)
    assert said(request) == ["Gone."]
    assert _submit(request, None, lambda data: data) == (True, None)
