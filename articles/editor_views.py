"""Editor pages under ``/editor/``: the review queue, one statement, claims, history, revert.

Every page needs a signed-in user holding ``articles.change_statement`` (the "Editors" group):
anonymous GETs are sent to the sign-in page, anonymous POSTs and other users get 403. Every
write goes through :mod:`articles.editing`, which checks the action's own permission again.
Forms are CSRF-protected (Django's middleware); writes are POST, then redirect (PRG).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from nato_tracker.views import error_page
from nato_tracker.web import PageError, check_params

from . import editing, selectors
from .api.serializers import ClaimQuerySerializer
from .claims import claim_keys, claim_querysets, load_claims
from .forms import (
    AboutForm,
    LinkForm,
    NewSpeakerForm,
    SpeakerChoiceForm,
    StatusForm,
    VerdictForm,
    VersionedForm,
)
from .models import (
    AggregateClaim,
    ReportedFigure,
    Statement,
    StatementLink,
)

EDITOR_AREA_PERMISSION = "articles.change_statement"

HISTORY_KINDS = editing.HISTORY_KINDS
KIND_OF_MODEL = {model: kind for kind, model in HISTORY_KINDS.items()}


def forbidden(request, reason: str = "You are not allowed to do this."):
    return error_page(request, 403, reason)


def editor_required(view):
    """Anonymous GET → sign-in page; anonymous POST or a user without the permission → 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.method in ("GET", "HEAD"):
                return redirect_to_login(request.get_full_path())
            return forbidden(request, "Sign in as an editor first.")
        if not request.user.has_perm(EDITOR_AREA_PERMISSION):
            return forbidden(request, "This page is for editors.")
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, str(exc) or "You are not allowed to do this.")

    return wrapped


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, error if field == "__all__" else f"{field}: {error}")


def _submit(request, form, action) -> tuple[bool, object]:
    """The one place an editor page turns a write's refusals into messages (the API's
    are its exception handler's): an invalid ``form`` (None: no form) is its field errors, a
    stale save (:class:`editing.EditConflict`) says who changed what since the editor opened
    the form, a refused one (``ValidationError``) its reasons. Returns ``(True, what
    action(cleaned_data) returned)`` when the write was made, ``(False, None)`` when not."""
    if form is not None and not form.is_valid():
        _form_errors(request, form)
        return False, None
    try:
        return True, action(form.cleaned_data if form is not None else None)
    except editing.EditConflict as exc:
        messages.error(request, exc.describe())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return False, None


def _statement(pk: int) -> Statement:
    return get_object_or_404(Statement.objects.select_related("article", "speaker"), pk=pk)


def _back(statement: Statement, anchor: str = ""):
    return redirect(reverse("editor:statement", args=[statement.pk]) + anchor)


# --------------------------------------------------------------------------- queue


@require_safe
@editor_required
def queue(request):
    page = Paginator(selectors.review_queue(), 10).get_page(request.GET.get("page"))
    for article in page.object_list:
        for st in article.pending:
            st.before, st.quote, st.after = selectors.context_excerpt(
                article.text, st.start, st.end, width=160
            )
    return render(request, "editor/queue.html", {"page": page})


# --------------------------------------------------------------------------- one statement


@require_safe
@editor_required
def statement(request, pk: int):
    item = _statement(pk)
    before, quote, after = selectors.context_excerpt(item.article.text, item.start, item.end)
    links = list(item.links.select_related("figure__member", "figure__source", "target"))
    linked_figures = {link.figure_id for link in links if link.figure_id}
    linked_targets = {link.target_id for link in links if link.target_id}
    suggestions = selectors.suggested_figures(item)
    removed = _removed_links(item)
    return render(
        request,
        "editor/statement.html",
        {
            "statement": item,
            "before": before,
            "quote": quote,
            "after": after,
            "links": links,
            "removed_links": removed,
            "suggested_figures": [f for f in suggestions["figures"] if f.pk not in linked_figures],
            "suggested_targets": [t for t in suggestions["targets"] if t.pk not in linked_targets],
            "suggested_years": suggestions["years"],
            "speaker_form": SpeakerChoiceForm(
                initial={"speaker": item.speaker, "version": item.version}
            ),
            "new_speaker_form": NewSpeakerForm(
                initial={
                    "name": item.speaker_as_written,
                    "role": item.speaker_role,
                    "version": item.version,
                }
            ),
            "about_form": AboutForm(
                initial={
                    "members": item.members.all(),
                    "targets": item.targets.all(),
                    "version": item.version,
                }
            ),
            "link_form": LinkForm(initial={"version": item.version}),
            "claims": _claims_in(item),
        },
    )


def _removed_links(item: Statement) -> list:
    """The last record of every link of ``item`` that was removed (and not restored)."""
    history = StatementLink.history.model
    existing = set(StatementLink.objects.filter(statement=item).values_list("pk", flat=True))
    latest: dict[int, object] = {}
    for record in history.objects.filter(statement_id=item.pk).order_by(
        "history_date", "history_id"
    ):
        latest[record.id] = record
    return [r for r in latest.values() if r.history_type == "-" and r.id not in existing]


def _claims_in(item: Statement) -> list[dict]:
    """Claims the article makes inside the quote (:meth:`Statement.claims`), each with its
    verdict form."""
    kinds = {ReportedFigure: "reported_figure", AggregateClaim: "aggregate_claim"}
    rows = [(kinds[type(c)], c) for c in item.claims()]
    return [{"kind": kind, "claim": c, "form": _verdict_form(kind, c)} for kind, c in rows]


def _verdict_form(kind: str, claim) -> VerdictForm:
    return VerdictForm(prefix=f"{kind}-{claim.pk}", initial={"version": claim.version})


@require_POST
@editor_required
def set_speaker(request, pk: int):
    item = _statement(pk)
    saved, _ = _submit(
        request,
        SpeakerChoiceForm(request.POST),
        lambda data: editing.set_statement_speaker(
            statement=item,
            speaker=data["speaker"],
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if saved:
        messages.success(request, "Speaker saved.")
    return _back(item, "#speaker")


@require_POST
@editor_required
def new_speaker(request, pk: int):
    item = _statement(pk)
    created, speaker = _submit(
        request,
        NewSpeakerForm(request.POST),
        lambda data: editing.create_speaker_for_statement(
            statement=item,
            name=data["name"],
            role=data["role"],
            aliases=data["aliases"],
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if created:
        messages.success(request, f"Speaker {speaker.name} created and attributed.")
    return _back(item, "#speaker")


@require_POST
@editor_required
def set_about(request, pk: int):
    item = _statement(pk)
    saved, _ = _submit(
        request,
        AboutForm(request.POST),
        lambda data: editing.set_statement_about(
            statement=item,
            members=data["members"],
            targets=data["targets"],
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if saved:
        messages.success(request, "Allies and targets saved.")
    return _back(item, "#about")


@require_POST
@editor_required
def link(request, pk: int):
    item = _statement(pk)
    added, _ = _submit(
        request,
        LinkForm(request.POST),
        lambda data: editing.link_statement(
            statement=item,
            figure=data.get("figure"),
            target=data.get("target"),
            note=data.get("note", ""),
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if added:
        messages.success(request, "Link added.")
    return _back(item, "#links")


@require_POST
@editor_required
def unlink(request, pk: int):
    item = get_object_or_404(StatementLink.objects.select_related("statement"), pk=pk)
    statement = item.statement
    removed, _ = _submit(
        request,
        VersionedForm(request.POST),
        lambda data: editing.unlink_statement(
            link=item, user=request.user, expected_version=data["version"]
        ),
    )
    if removed:
        messages.success(request, "Link removed (it stays in the history and can be restored).")
    return _back(statement, "#links")


@require_POST
@editor_required
def set_status(request, pk: int):
    item = _statement(pk)
    saved, marked = _submit(
        request,
        StatusForm(request.POST),
        lambda data: editing.set_review_status(
            statement=item,
            status=data["status"],
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if not saved:
        return _back(item)
    messages.success(request, f"Statement marked: {marked.get_review_status_display()}.")
    if request.POST.get("next") == "queue":
        return redirect("editor:queue")
    return _back(item)


# --------------------------------------------------------------------------- claims


#: The editors' claims page takes the API's claims filters, and these.
CLAIMS_PAGE_PARAMS = ("show", "page")


@require_safe
@editor_required
def claims(request):
    """Every claim with its automatic checks; those no editor has confirmed first, oldest first.
    Filtered by the API's claims filters (``kind``, ``ally``, ``year``, ``verdict``, ``article``,
    ``published_after``, ``published_before``): one definition (``ClaimQuerySerializer``) and
    one selector (:mod:`articles.claims`) for both."""
    try:
        check_params(request.GET, (*ClaimQuerySerializer().fields, *CLAIMS_PAGE_PARAMS))
    except PageError as exc:
        return error_page(request, exc.status, exc.reason)
    filters = request.GET.copy()
    for name in CLAIMS_PAGE_PARAMS:
        filters.pop(name, None)
    query = ClaimQuerySerializer(data=filters)
    if not query.is_valid():
        reason = " ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in query.errors.items()
        )
        return error_page(request, 400, reason)
    show = request.GET.get("show", "open")
    querysets = {
        kind: qs.select_related("confirmed_by")
        for kind, qs in claim_querysets(query.validated_data, unconfirmed=show == "open").items()
    }
    # Sort a few columns of every claim, then load the claims of one page only.
    page = Paginator(claim_keys(querysets, oldest_first=True), 25).get_page(request.GET.get("page"))
    page.object_list = [
        {"kind": kind, "claim": claim, "form": _verdict_form(kind, claim)}
        for kind, claim in load_claims(page.object_list, querysets)
    ]
    return render(
        request,
        "editor/claims.html",
        {"page": page, "show": show, "filters": filters.urlencode()},
    )


@require_POST
@editor_required
def set_verdict(request, kind: str, pk: int):
    model = editing.CLAIM_MODELS.get(kind)
    if model is None:
        return error_page(request, 404, "Unknown kind of claim.")
    claim = get_object_or_404(model, pk=pk)
    form = VerdictForm(request.POST, prefix=f"{kind}-{pk}")
    back = request.POST.get("next") or reverse("editor:claims")
    if not back.startswith("/editor/"):
        back = reverse("editor:claims")

    def save(data):
        if request.POST.get("clear"):
            editing.clear_claim_verdict(
                claim=claim, user=request.user, expected_version=data["version"]
            )
        else:
            editing.set_claim_verdict(
                claim=claim,
                verdict=data["verdict"] or None,
                note=data["note"],
                user=request.user,
                expected_version=data["version"],
            )

    saved, _ = _submit(request, form, save)
    if saved:
        messages.success(request, f"Verdict saved for “{claim}”.")
    return redirect(back)


# --------------------------------------------------------------------------- history


history_rows = editing.history_rows


@require_safe
@editor_required
def history(request, kind: str, pk: int):
    model = HISTORY_KINDS.get(kind)
    if model is None:
        return error_page(request, 404, "Unknown kind of object.")
    if not request.user.has_perm(editing.history_permission(model)):
        return forbidden(request, "You may not see this object's history.")
    records = editing.history_records(model, pk)
    if not records:
        return error_page(request, 404, f"There is no history for {kind} {pk}.")
    obj = editing.history_object(model, pk)
    link_histories = []
    if model is Statement:
        link_records = list(
            StatementLink.history.filter(statement_id=pk)
            .select_related("history_user", *editing.NAME_READS[StatementLink])
            .order_by("-history_date", "-history_id")
        )
        existing = set(StatementLink.objects.filter(statement_id=pk).values_list("pk", flat=True))
        by_link: dict[int, list] = {}
        for r in link_records:
            by_link.setdefault(r.id, []).append(r)
        link_histories = [
            {"id": link_id, "rows": history_rows(rs), "exists": link_id in existing}
            for link_id, rs in sorted(by_link.items())
        ]
    rows = history_rows(records)
    if model in editing.REVERTIBLE:
        # The newest version is the current state: no "Revert" where it would change nothing.
        for row in rows:
            row["current"] = editing.same_editable(row["record"], records[0])
    return render(
        request,
        "editor/history.html",
        {
            "kind": kind,
            "pk": pk,
            "object": obj,
            "label": str(obj) if obj else f"{model._meta.verbose_name} {pk} (removed)",
            "rows": rows,
            "link_histories": link_histories,
            "revertible": model in editing.REVERTIBLE,
            "is_link": model is StatementLink,
            "exists": obj is not None,
            "version": _edit_version(model, obj, records),
        },
    )


def _edit_version(model: type, obj, records: list) -> int | None:
    """The version a revert or restore from the history page is checked against: the
    object's, or for a removed link (which the page offers to restore) its statement's;
    ``None`` for speakers, which have none, and for a link that exists."""
    if model is StatementLink:
        return selectors.statement_version(records[0].statement_id) if obj is None else None
    return getattr(obj, "version", None)


@require_POST
@editor_required
def revert(request, kind: str, history_id: int):
    model = HISTORY_KINDS.get(kind)
    if model is None:
        return error_page(request, 404, "Unknown kind of object.")
    if not request.user.has_perm(editing.history_permission(model)):
        return forbidden(request, "You may not revert this kind of object.")
    record = get_object_or_404(model.history.model, history_id=history_id)
    back_kind = kind
    back_pk = record.id
    if model is StatementLink and request.POST.get("next") == "statement":
        back_kind, back_pk = "statement", record.statement_id
    reverted, _ = _submit(
        request,
        VersionedForm(request.POST),
        lambda data: editing.revert_to_version(
            record=record, user=request.user, expected_version=data["version"]
        ),
    )
    if reverted:
        if model is StatementLink:
            messages.success(request, "Link restored.")
        else:
            messages.success(
                request, f"Reverted to the version of {record.history_date:%Y-%m-%d %H:%M} UTC."
            )
    return redirect("editor:history", kind=back_kind, pk=back_pk)
