"""The editors' write services, the one place where editors change data.

Link a statement to a figure or target, unlink (and restore), fix a speaker, create a speaker
(and attribute a statement to them),
set the allies and targets a statement concerns, mark it reviewed or reject it, confirm or
override a claim's verdict, revert an object to a version from its history.

Used by the REST API and by the editor pages; each call is keyword-only, one transaction,
checks the user's model permission (``articles.add_statementlink``,
``articles.delete_statementlink``, ``articles.change_statement``, ``articles.add_speaker``,
``articles.change_reportedfigure``, ...) and records the user in the model's history.
Nothing here deletes data irreversibly: a removed link stays in its history and can be restored.

Optimistic concurrency: statements and checked claims carry a ``version``, raised by every
change made here (a link added, removed or restored is a version of its statement). Every
such write goes through :func:`edit`: given ``expected_version`` (the version the editor's
form or the API client read) it refuses with :class:`EditConflict` when the object changed
since, naming who changed what; the new version is claimed with a conditional
``UPDATE ... WHERE version = n`` inside the same transaction (after ``select_for_update`` on
PostgreSQL), so two saves started from the same version can never both succeed, and what the
write made first (a new speaker, a link) is rolled back with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.text import slugify
from simple_history import utils
from simple_history.models import DeletedObject

from spending.models import MemberState, SpendingFigure, Target

from .models import (
    AggregateClaim,
    CheckedClaim,
    ReportedFigure,
    ReviewStatus,
    Speaker,
    SpeakerAlias,
    Statement,
    StatementLink,
    TargetList,
    Verdict,
)

LINK_PERMISSION = "articles.add_statementlink"
UNLINK_PERMISSION = "articles.delete_statementlink"
CHANGE_STATEMENT_PERMISSION = "articles.change_statement"


def _require(user: AbstractBaseUser, permission: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(permission):
        raise PermissionDenied(f"{permission} is required")


# --------------------------------------------------------------------------- concurrency


class EditConflict(Exception):
    """The object changed since the editor read it (version ``expected``); nothing was saved.

    ``edits`` are the changes made since, oldest first: ``{"version", "user", "date",
    "changes": [{"field", "old", "new"}], "reason"}`` (``reason``: a change of its links);
    ``current`` is the object as it now is.
    """

    def __init__(self, current, expected: int, edits: list[dict]):
        self.current = current
        self.expected = expected
        self.edits = edits
        super().__init__(self.describe())

    @property
    def current_version(self) -> int:
        return self.current.version

    def describe(self) -> str:
        """One sentence for a form error: who changed what since the editor's version."""
        done = "; ".join(_describe_edit(edit) for edit in self.edits) or "an unrecorded change"
        return (
            f"Not saved: this was changed since you opened it (your version {self.expected}, "
            f"now {self.current_version}) by {done}. Check the current values and save again."
        )


def _describe_edit(edit: dict) -> str:
    who = edit["user"] or "an unknown user"
    when = edit["date"].strftime("%Y-%m-%d %H:%M UTC") if edit["date"] else "an unknown time"
    what = ", ".join(f"{c['field']}: {c['old']} → {c['new']}" for c in edit["changes"])
    what = what or edit.get("reason", "")
    return f"{who} at {when}" + (f" ({what})" if what else "")


def edits_since(model: type, pk: int, version: int) -> list[dict]:
    """The recorded changes of one object after ``version``, oldest first."""
    rows = history_rows(history_records(model, pk))
    return [
        {
            "version": row["record"].version,
            "user": row["record"].history_user.get_username()
            if row["record"].history_user
            else None,
            "date": row["record"].history_date,
            "changes": row["changes"],
            "reason": row["record"].history_change_reason or "",
        }
        for row in reversed(rows)
        if row["record"].version > version
    ]


def _current(model: type, pk: int, expected_version: int | None):
    """The object locked for this transaction; :class:`EditConflict` when it is not at
    ``expected_version`` (``None``: no check; models without a version, speakers: none)."""
    current = model.objects.select_for_update().filter(pk=pk).first()
    if current is None:
        raise ValidationError("The object no longer exists.")
    if hasattr(current, "version"):
        _check_version(current, expected_version)
    return current


def _check_version(current, expected_version: int | None) -> None:
    """:class:`EditConflict` when ``current`` is not at ``expected_version`` (``None``: no
    check)."""
    if expected_version is not None and current.version != expected_version:
        model = type(current)
        raise EditConflict(
            current, expected_version, edits_since(model, current.pk, expected_version)
        )


def _claim_next_version(obj) -> None:
    """Raise ``obj.version`` by one with ``UPDATE ... WHERE version = <what we read>``: a write
    that got in between (possible where ``select_for_update`` does not lock, as on SQLite)
    makes it match no row, and this save fails with :class:`EditConflict` instead of
    overwriting it."""
    model = type(obj)
    if not model.objects.filter(pk=obj.pk, version=obj.version).update(version=F("version") + 1):
        current = model.objects.get(pk=obj.pk)
        raise EditConflict(current, obj.version, edits_since(model, obj.pk, obj.version))
    obj.version += 1


def _save_versioned(
    obj,
    user: AbstractBaseUser,
    *,
    m2m: dict[str, set] | None = None,
    reason: str = "",
    **values,
) -> None:
    """Save an edit of ``obj`` (already checked by :func:`edit`): the next version claimed
    (:func:`_claim_next_version`; models without a version, speakers, have none to claim), the
    fields set, the many-to-many fields in ``m2m`` set to those ids, and one history record by
    ``user`` for all of it (with ``reason`` when the change is to related rows, a link)."""
    saved = list(values)
    if hasattr(obj, "version"):
        _claim_next_version(obj)
        saved.append("version")
    for field, value in values.items():
        setattr(obj, field, value)
    if m2m:
        # Without one history record per add/remove: the save below records them once.
        obj.skip_history_when_saving = True
        try:
            for name, ids in m2m.items():
                getattr(obj, name).set(ids)
        finally:
            del obj.skip_history_when_saving
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.save(update_fields=saved)


@transaction.atomic
def edit(
    model: type,
    pk: int,
    *,
    user: AbstractBaseUser,
    expected_version: int | None,
    change: Callable[[object], dict | None],
):
    """The one way an editor's write of a statement, a claim or a speaker is made, in one
    transaction: the object locked and checked against ``expected_version``
    (:class:`EditConflict` naming the edits since; ``None``: no check), then ``change(obj)``,
    which may write other rows first (a new speaker, a link) and returns what to save —
    the fields, ``m2m`` ids, a history ``reason`` — or ``None`` when nothing changes; then the
    next version claimed with ``UPDATE ... WHERE version = n``, the fields set and one history
    record by ``user`` (:func:`_save_versioned`). A conflict at any step rolls back everything,
    what ``change`` wrote included. Returns the object as saved."""
    obj = _current(model, pk, expected_version)
    values = change(obj)
    if values is not None:
        _save_versioned(obj, user, **values)
    return obj


def link_statement(
    *,
    statement: Statement,
    figure: SpendingFigure | None = None,
    target: Target | None = None,
    note: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> StatementLink:
    """Link ``statement`` to the official ``figure`` and/or ``target`` it speaks of: a new
    version of the statement (:func:`edit`, the history's reason names the link).

    Raises :class:`ValidationError` when neither is given or when the same link already exists,
    :class:`PermissionDenied` when ``user`` may not add links.
    """
    _require(user, LINK_PERMISSION)
    if figure is None and target is None:
        raise ValidationError("Link a statement to a figure, a target or both.")
    note = (note or "").strip()
    if len(note) > StatementLink._meta.get_field("note").max_length:
        raise ValidationError({"note": "The note is too long (500 characters at most)."})
    link = StatementLink(figure=figure, target=target, note=note, created_by=user)

    def add(current: Statement) -> dict:
        _refuse_duplicate_link(current, figure_id=link.figure_id, target_id=link.target_id)
        link.statement = current
        link._history_user = user
        link.save()
        return {"reason": _link_reason("added", link)}

    edit(Statement, statement.pk, user=user, expected_version=expected_version, change=add)
    return link


def _refuse_duplicate_link(statement: Statement, *, figure_id, target_id) -> None:
    existing = StatementLink.objects.filter(statement=statement)
    if figure_id is not None and existing.filter(figure_id=figure_id).exists():
        raise ValidationError({"figure": "This statement is already linked to this figure."})
    if target_id is not None and existing.filter(target_id=target_id).exists():
        raise ValidationError({"target": "This statement is already linked to this target."})


def _link_reason(done: str, link: StatementLink) -> str:
    """The statement's history reason for a change of its links (100 characters at most)."""
    what = link.figure or link.target
    return f"link {link.pk} {done}: {what}"[:100]


def unlink_statement(
    *, link: StatementLink, user: AbstractBaseUser, expected_version: int | None = None
) -> None:
    """Remove an editor's link (kept in the link's history, attributed to ``user``): a new
    version of its statement (:func:`edit`). :class:`ValidationError` when it was already
    removed (by a request that came first): nothing is written."""
    _require(user, UNLINK_PERMISSION)

    def remove(current: Statement) -> dict:
        # ``link`` was read before the statement was locked: another removal may have come
        # first, and deleting it again would record a second removal (Django's post_delete
        # fires for 0 rows too) and claim a version for nothing.
        if not StatementLink.objects.filter(pk=link.pk, statement=current).exists():
            raise ValidationError("This link was already removed.")
        reason = _link_reason("removed", link)
        link._history_user = user
        link.delete()
        return {"reason": reason}

    edit(Statement, link.statement_id, user=user, expected_version=expected_version, change=remove)


def set_statement_speaker(
    *,
    statement: Statement,
    speaker: Speaker | None,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Statement:
    """Attribute ``statement`` to ``speaker`` (``None``: unattributed); the text is unchanged."""
    _require(user, CHANGE_STATEMENT_PERMISSION)

    def attribute(current: Statement) -> dict | None:
        if current.speaker_id == (speaker.pk if speaker else None):
            return None
        return {"speaker": speaker}

    return edit(
        Statement, statement.pk, user=user, expected_version=expected_version, change=attribute
    )


# --------------------------------------------------------------------------- review

REVIEW_PERMISSION = CHANGE_STATEMENT_PERMISSION
ADD_SPEAKER_PERMISSION = "articles.add_speaker"
ADD_ALIAS_PERMISSION = "articles.add_speakeralias"


def set_review_status(
    *,
    statement: Statement,
    status: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Statement:
    """Set a statement's review status: ``reviewed``, ``rejected`` (hidden, kept) or ``pending``.

    Rejecting never deletes: the statement stays in the database and in its history, public
    pages and the API stop showing it, and setting it back to ``pending``/``reviewed`` (or a
    revert) shows it again.
    """
    _require(user, REVIEW_PERMISSION)
    if status not in ReviewStatus.values:
        raise ValidationError({"status": f"Unknown review status {status!r}."})

    def mark(current: Statement) -> dict | None:
        return None if current.review_status == status else {"review_status": status}

    return edit(Statement, statement.pk, user=user, expected_version=expected_version, change=mark)


def mark_reviewed(*, statement: Statement, user: AbstractBaseUser) -> Statement:
    """The statement was checked by an editor and is correct as it stands."""
    return set_review_status(statement=statement, status=ReviewStatus.REVIEWED, user=user)


def reject_statement(*, statement: Statement, user: AbstractBaseUser) -> Statement:
    """A mis-extraction: kept, with its history, but hidden from every public page and the API."""
    return set_review_status(statement=statement, status=ReviewStatus.REJECTED, user=user)


def set_statement_about(
    *,
    statement: Statement,
    members: Iterable[MemberState],
    targets: Iterable[Target],
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Statement:
    """Set the allies and targets a statement concerns; one history record for the change."""
    _require(user, CHANGE_STATEMENT_PERMISSION)
    member_ids = {m.pk for m in members}
    target_ids = {t.pk for t in targets}

    def concern(current: Statement) -> dict | None:
        same_members = set(current.members.values_list("pk", flat=True)) == member_ids
        same_targets = set(current.targets.values_list("pk", flat=True)) == target_ids
        if same_members and same_targets:
            return None
        return {"m2m": {"members": member_ids, "targets": target_ids}}

    return edit(
        Statement, statement.pk, user=user, expected_version=expected_version, change=concern
    )


@transaction.atomic
def create_speaker(
    *,
    name: str,
    role: str = "",
    aliases: Iterable[str] = (),
    user: AbstractBaseUser,
) -> Speaker:
    """Create a speaker (and the short names the press uses for them)."""
    _require(user, ADD_SPEAKER_PERMISSION)
    name = " ".join((name or "").split())
    role = " ".join((role or "").split())
    aliases = sorted({" ".join(a.split()) for a in aliases if a and a.strip()} - {name})
    if aliases:
        _require(user, ADD_ALIAS_PERMISSION)
    if not name:
        raise ValidationError({"name": "Give the speaker's name."})
    if len(name) > Speaker._meta.get_field("name").max_length:
        raise ValidationError({"name": "The name is too long (200 characters at most)."})
    if len(role) > Speaker._meta.get_field("role").max_length:
        raise ValidationError({"role": "The role is too long (300 characters at most)."})
    slug = slugify(name)
    if not slug:
        raise ValidationError({"name": "The name needs at least one letter or digit."})
    if Speaker.objects.filter(Q(name__iexact=name) | Q(slug=slug)).exists():
        raise ValidationError({"name": f"A speaker named {name!r} already exists."})
    speaker = Speaker(name=name, slug=slug, role=role)
    speaker._history_user = user
    speaker.save()
    for alias in aliases:
        SpeakerAlias.objects.create(speaker=speaker, alias=alias[:200])
    return speaker


def create_speaker_for_statement(
    *,
    statement: Statement,
    name: str,
    role: str = "",
    aliases: Iterable[str] = (),
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Speaker:
    """Create a speaker (:func:`create_speaker`) and attribute ``statement`` to them, in the
    statement's :func:`edit`: when the statement changed since ``expected_version`` (before or
    while the speaker is created), :class:`EditConflict` and neither is saved."""
    _require(user, CHANGE_STATEMENT_PERMISSION)

    def attribute_new(current: Statement) -> dict:
        return {"speaker": create_speaker(name=name, role=role, aliases=aliases, user=user)}

    return edit(
        Statement, statement.pk, user=user, expected_version=expected_version, change=attribute_new
    ).speaker


# --------------------------------------------------------------------------- verdicts


CLAIM_MODELS: dict[str, type[CheckedClaim]] = {
    "reported_figure": ReportedFigure,
    "aggregate_claim": AggregateClaim,
    "target_list": TargetList,
}


def claim_change_permission(model: type[CheckedClaim]) -> str:
    return f"articles.change_{model._meta.model_name}"


def set_claim_verdict(
    *,
    claim: CheckedClaim,
    verdict: str | None = None,
    note: str = "",
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> CheckedClaim:
    """Confirm (``verdict`` None or equal to the automatic one) or override a claim's verdict.

    Records the editor, the time and the note; the automatic check is never changed.
    """
    model = type(claim)
    _require(user, claim_change_permission(model))
    note = (note or "").strip()

    def judge(current: CheckedClaim) -> dict:
        chosen = verdict or current.verdict
        if chosen not in Verdict.values:
            raise ValidationError({"verdict": "Choose matches, differs or no_official."})
        if len(note) > 2000:
            raise ValidationError({"note": "The note is too long (2,000 characters at most)."})
        if chosen != current.verdict and not note:
            raise ValidationError({"note": "Say why you override the automatic verdict."})
        return {
            "editor_verdict": chosen,
            "editor_note": note,
            "confirmed_by": user,
            "confirmed_at": timezone.now(),
        }

    return edit(model, claim.pk, user=user, expected_version=expected_version, change=judge)


def clear_claim_verdict(
    *, claim: CheckedClaim, user: AbstractBaseUser, expected_version: int | None = None
) -> CheckedClaim:
    """Withdraw an editor's verdict (the automatic one applies again; history keeps the old)."""
    model = type(claim)
    _require(user, claim_change_permission(model))
    return edit(
        model,
        claim.pk,
        user=user,
        expected_version=expected_version,
        change=lambda _: {
            "editor_verdict": "",
            "editor_note": "",
            "confirmed_by": None,
            "confirmed_at": None,
        },
    )


# --------------------------------------------------------------------------- history, revert

# What a revert puts back, per model: the fields editors change (never the text, the offsets
# or the automatic checks), and the many-to-many fields recorded in the history.
REVERTIBLE: dict[type, tuple[list[str], list[str]]] = {
    Statement: (["speaker", "review_status"], ["members", "targets"]),
    Speaker: (["name", "slug", "role"], []),
    ReportedFigure: (["editor_verdict", "editor_note", "confirmed_by", "confirmed_at"], []),
    AggregateClaim: (["editor_verdict", "editor_note", "confirmed_by", "confirmed_at"], []),
    TargetList: (["editor_verdict", "editor_note", "confirmed_by", "confirmed_at"], []),
}


NOTHING_TO_REVERT = (
    "Nothing to revert: this version's editable fields (and a statement's allies and targets) "
    "are the current ones."
)


def same_editable(record, other) -> bool:
    """Whether two versions of one revertible object hold the same editable fields (and a
    statement the same allies and targets): reverting from one to the other changes nothing.
    Reads only what :func:`history_records` fetched."""
    fields, m2m_fields = REVERTIBLE[record.instance_type]
    meta = record.instance_type._meta
    if any(
        getattr(record, attname) != getattr(other, attname)
        for attname in (meta.get_field(name).attname for name in fields)
    ):
        return False
    return all(
        [row.pk for row in _m2m_rows(record, field)] == [row.pk for row in _m2m_rows(other, field)]
        for field in record._history_m2m_fields
        if field.name in m2m_fields
    )


def history_model_for(model: type):
    return model.history.model


def revert_to_version(*, record, user: AbstractBaseUser, expected_version: int | None = None):
    """Put an object back as it was in the historical ``record`` (a new, attributed version,
    made by :func:`edit`: checked against ``expected_version``).

    Statements, speakers and claims: the editable fields (and a statement's allies and
    targets) are set back; when they are already the current ones (a version that recorded
    only a link's change, say), :class:`ValidationError` and nothing is written. Links: a
    deleted link is recreated (restored) with its id, statement, figure or target and note; a
    link that exists cannot be changed, only removed.
    Returns the object.
    """
    model = record.instance_type
    if model is StatementLink:
        return restore_link(record=record, user=user, expected_version=expected_version)
    if model not in REVERTIBLE:
        raise ValidationError("This kind of object cannot be reverted.")
    fields, m2m_fields = REVERTIBLE[model]
    _require(user, f"articles.change_{model._meta.model_name}")

    def put_back(current) -> dict:
        if model is Speaker:
            clash = Speaker.objects.exclude(pk=current.pk).filter(
                Q(name__iexact=record.name) | Q(slug=record.slug)
            )
            if clash.exists():
                raise ValidationError({"name": "Another speaker now has this name."})
        values = {
            attname: getattr(record, attname)
            for attname in (model._meta.get_field(name).attname for name in fields)
        }
        if (
            model is Statement
            and values["speaker_id"]
            and not Speaker.objects.filter(pk=values["speaker_id"]).exists()
        ):
            values["speaker_id"] = None
        m2m = {
            name: {
                getattr(row, model._meta.get_field(name).m2m_reverse_field_name() + "_id")
                for row in getattr(record, name).all()
            }
            for name in m2m_fields
        }
        same = all(getattr(current, attname) == value for attname, value in values.items())
        if same and all(
            set(getattr(current, name).values_list("pk", flat=True)) == ids
            for name, ids in m2m.items()
        ):
            raise ValidationError(NOTHING_TO_REVERT)
        return {"m2m": m2m, **values}

    return edit(model, record.id, user=user, expected_version=expected_version, change=put_back)


def restore_link(
    *, record, user: AbstractBaseUser, expected_version: int | None = None
) -> StatementLink:
    """Recreate a removed link from its history (same id, statement, figure/target, note): a
    new version of its statement (:func:`edit`, checked against ``expected_version``)."""
    _require(user, LINK_PERMISSION)
    if StatementLink.objects.filter(pk=record.id).exists():
        raise ValidationError("This link exists: remove it instead of restoring it.")
    if not Statement.objects.filter(pk=record.statement_id).exists():
        raise ValidationError("The statement of this link no longer exists.")
    link = StatementLink(
        pk=record.id,
        figure_id=record.figure_id,
        target_id=record.target_id,
        note=record.note,
        created_by_id=record.created_by_id,
    )

    def restore(current: Statement) -> dict:
        _refuse_duplicate_link(current, figure_id=record.figure_id, target_id=record.target_id)
        link.statement = current
        link._history_user = user
        link.save(force_insert=True)
        return {"reason": _link_reason("restored", link)}

    edit(
        Statement,
        record.statement_id,
        user=user,
        expected_version=expected_version,
        change=restore,
    )
    return link


HISTORY_KINDS: dict[str, type] = {
    "statement": Statement,
    "speaker": Speaker,
    "link": StatementLink,
    "reported_figure": ReportedFigure,
    "aggregate_claim": AggregateClaim,
    "target_list": TargetList,
}


def _describe(value) -> str:
    """A field's value in the history: "—" when empty, also an empty foreign key (which
    ``diff_against`` gives as a ``DeletedObject`` without a pk: "Deleted speaker (pk=None)")."""
    if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
        return "—"
    return str(value)


def _m2m_accessor(historical: type, field) -> str:
    """The name under which a historical model's versions reach their rows of ``field``."""
    through = getattr(historical, field.name).model
    return next(
        rel.get_accessor_name()
        for rel in historical._meta.related_objects
        if rel.related_model is through
    )


def _m2m_rows(record, field) -> list:
    """The related objects a version named in a many-to-many field, from the prefetched rows
    (``history_records``), in the order of their ids."""
    through = getattr(type(record), field.name).model
    name = utils.get_m2m_reverse_field_name(record.instance_type._meta.get_field(field.name))
    id_name = through._meta.get_field(name).attname
    rows = getattr(record, _m2m_accessor(type(record), field)).all()
    rows = sorted(rows, key=lambda row: getattr(row, id_name))
    return [
        getattr(row, name) or DeletedObject(field.related_model, getattr(row, id_name))
        for row in rows
    ]


def _changes(record, older) -> list[dict]:
    """What changed from ``older`` to ``record``, by field name. The many-to-many fields are
    compared from the prefetched rows (``diff_against`` queries them twice per version)."""
    m2m = list(record._history_m2m_fields)
    delta = record.diff_against(
        older, excluded_fields=[f.name for f in m2m], foreign_keys_are_objs=True
    )
    changes = [(c.field, _describe(c.old), _describe(c.new)) for c in delta.changes]
    for field in m2m:
        old, new = _m2m_rows(older, field), _m2m_rows(record, field)
        if [o.pk for o in old] != [n.pk for n in new]:
            changes.append(
                (field.name, ", ".join(map(str, old)) or "—", ", ".join(map(str, new)) or "—")
            )
    return [
        {"field": field, "old": old, "new": new}
        for field, old, new in sorted(changes)
        if field not in HISTORY_HIDDEN_FIELDS
    ]


# Bookkeeping that is not an edit: not listed among a version's changes.
HISTORY_HIDDEN_FIELDS = {"version"}


def history_rows(records: list) -> list[dict]:
    """Historical records newest first, each with the changes from the record before it."""
    rows = []
    for i, record in enumerate(records):
        older = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            changes = _changes(record, older)
        rows.append({"record": record, "changes": changes, "first": older is None})
    return rows


def history_permission(model: type) -> str:
    """Who may read an object's history and revert it: whoever may change it (for links,
    whoever may make them)."""
    if model is StatementLink:
        return LINK_PERMISSION
    return f"articles.change_{model._meta.model_name}"


# The related rows each kind's name (``__str__``) reads; a link's history shows them too.
NAME_READS: dict[type, tuple[str, ...]] = {
    Statement: ("speaker",),
    ReportedFigure: ("member",),
    StatementLink: ("target", "figure__member", "figure__source"),
}


def history_object(model: type, pk: int):
    """The object whose history is read as it now is (``None`` once removed), joined to what
    its name reads, so that naming it queries nothing more."""
    return model.objects.select_related(*NAME_READS.get(model, ())).filter(pk=pk).first()


def history_records(model: type, pk: int) -> list:
    """Every recorded version of one object, newest first, with who made it and what each
    version names, read with a fixed number of queries: its foreign keys (a statement's
    speaker and article, a link's figure and target) and its many-to-many rows (a statement's
    allies and targets), which the history shows."""
    historical = model.history.model
    related = ["history_user"]
    if model is StatementLink:
        related += NAME_READS[StatementLink]
    m2m = [
        Prefetch(
            _m2m_accessor(historical, field),
            queryset=getattr(historical, field.name).model.objects.select_related(
                utils.get_m2m_reverse_field_name(model._meta.get_field(field.name))
            ),
        )
        for field in historical._history_m2m_fields
    ]
    records = list(
        model.history.filter(id=pk)
        .select_related(*related)
        .prefetch_related(*m2m)
        .order_by("-history_date", "-history_id")
    )
    # The other foreign keys are shown only where they changed: read those, once each.
    changed = [
        f.name
        for f in historical._meta.fields
        if f.is_relation
        and f.name not in related
        and len({getattr(r, f.attname) for r in records}) > 1
    ]
    prefetch_related_objects(records, *changed)
    return records
