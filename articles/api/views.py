"""API for articles, speakers, statements, editors' links and the claims check.

Rejected statements (mis-extractions) and rejected articles are never shown to public reads.
Writes go through :mod:`articles.editing`, the same services the editor pages use.
"""

from __future__ import annotations

from django.db.models import F, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from articles import editing, selectors
from articles.claims import claim_keys, claim_querysets
from articles.filters import StatementFilterSet
from articles.models import (
    Article,
    Speaker,
    Statement,
    StatementLink,
    with_article,
)
from articles.statement_list import FilteredStatements
from nato_tracker.api.params import StableOrderingFilter
from nato_tracker.api.schema import (
    ERROR_RESPONSES,
    FORMAT_PARAMETER,
    error_responses,
    list_and_detail,
)
from nato_tracker.api.viewsets import READ_FILTERS, ApiViewMixin, ReadOnlyViewSet
from nato_tracker.middleware import request_data_version

from . import concurrency
from .claim_rows import claim_list_cells, claim_list_rows
from .filters import ArticleFilterSet, SpeakerFilterSet, StatementLinkFilterSet
from .permissions import CanChangeStatement, EditorModelPermissions
from .rows import statement_list_cells, statement_rows
from .serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    ClaimQuerySerializer,
    ClaimSerializer,
    HistoryVersionSerializer,
    PreconditionFailedSerializer,
    ReviewStatusSerializer,
    SpeakerChangeSerializer,
    SpeakerCreateSerializer,
    SpeakerSerializer,
    StatementAboutSerializer,
    StatementLinkSerializer,
    StatementSerializer,
    VerdictChangeSerializer,
    VerdictResultSerializer,
)

IF_MATCH_HELP = (
    "Send the `ETag` of your last read as `If-Match`: when someone changed the object since, "
    "nothing is saved and the answer is 412 with the current ETag and who changed what."
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag you read (optional; without it the write is made whatever changed).",
)
STATEMENT_WRITE_RESPONSES = {
    200: StatementSerializer,
    **error_responses(400, 401, 403, 404),
    412: PreconditionFailedSerializer,
}


def _serialized_statements(statements):
    """``statements`` with what :class:`StatementSerializer` reads (article, speaker, allies,
    targets, links) in one query each."""
    return (
        with_article(statements)
        .select_related("speaker")
        .prefetch_related(
            "members",
            "targets",
            Prefetch("links", queryset=StatementLink.objects.select_related("target")),
        )
    )


def statement_answer(request, pk: int) -> tuple[Statement, dict, str]:
    """The statement as the API shows it now, its answer and its ETag (what ``If-Match`` on
    a write of the statement, its links or its revert is compared with)."""
    fresh = get_object_or_404(_serialized_statements(Statement.objects), pk=pk)
    data = StatementSerializer(fresh, context={"request": request}).data
    return fresh, data, concurrency.etag(data, fresh.version)


def checked_write(request, pk: int, change):
    """Run ``change(expected_version)`` under ``If-Match`` (the statement's ETag: 412 when it
    names another, or when another write overtakes this one in its transaction); what
    ``change`` returns."""
    expected = None
    if "If-Match" in request.headers:
        current, _, current_etag = statement_answer(request, pk)
        expected = concurrency.expected_version(request, current, current_etag)
    try:
        return change(expected)
    except editing.EditConflict as exc:
        raise concurrency.conflict(exc, statement_answer(request, pk)[2]) from None


def write_statement(request, pk: int, change) -> tuple[dict, str]:
    """:func:`checked_write`, then the statement's answer and ETag after it."""
    checked_write(request, pk, change)
    _, data, etag = statement_answer(request, pk)
    return data, etag


def _valid_filterset(request, view):
    """The view's FilterSet of the request, valid (else the 400 DRF's filter backend gives);
    its queryset (every statement) is not read: the list applies the public rule itself."""
    search = DjangoFilterBackend().get_filterset(request, Statement.objects.all(), view)
    if not search.is_valid():
        raise translate_validation(search.errors)
    return search


@list_and_detail(
    StatementSerializer,
    summary="Statements (quotes) reported in articles",
    detail="One statement",
    detail_description="The `ETag` header names the statement's version: send it as `If-Match` "
    "with a write (review, about, speaker) so that it fails with 412 instead of "
    "overwriting someone else's change.",
)
class StatementViewSet(ReadOnlyViewSet):
    """Quotes with their speaker (as written and as resolved), allies, targets and links."""

    serializer_class = StatementSerializer
    filterset_class = StatementFilterSet
    ordering_fields = ["article__published", "id"]
    ordering = list(selectors.STATEMENTS_NEWEST_FIRST)
    csv_filename = "statements"

    def get_queryset(self):
        return _serialized_statements(Statement.objects.public())

    def list(self, request, *args, **kwargs):
        """Rows read as values and shaped as the serializer's (:mod:`articles.api.rows`): the
        same answer, without building model instances and serializing them one by one."""
        if self.is_csv():
            # One query for the rows, read a chunk at a time; one each for their allies,
            # targets and links; flat rows, no nested ones (articles.api.rows).
            statements = self.filter_queryset(Statement.objects.public())
            return self.csv_query_answer(statements, statement_list_cells, flat=True)
        # The page's list: the filters and the ordering compiled once per shape
        # (articles.statement_list, as the statements page reads it).
        search = _valid_filterset(request, self)
        ordering = StableOrderingFilter().stable_ordering(request, search.queryset, self)
        statements = FilteredStatements(search.form.cleaned_data, ordering or ())
        page = self.paginate_queryset(statements)
        # The data version the request has read (its ETag's): no second read for the rows.
        version = request_data_version(request)
        if page is None:
            return Response(statement_rows(statements[: statements.count()], version))
        return self.get_paginated_response(statement_rows(page, version))

    def get_serializer_class(self):
        if self.action == "speaker":
            return SpeakerChangeSerializer
        if self.action == "review":
            return ReviewStatusSerializer
        if self.action == "about":
            return StatementAboutSerializer
        if self.action == "new_speaker":
            return SpeakerCreateSerializer
        return super().get_serializer_class()

    def retrieve(self, request, *args, **kwargs):
        statement = self.get_object()
        data = self.get_serializer(statement).data
        return Response(data, headers={"ETag": concurrency.etag(data, statement.version)})

    def _write(self, statement, change) -> Response:
        """Run ``change(expected_version)`` under ``If-Match``; the fresh statement + ETag."""
        data, etag = write_statement(self.request, statement.pk, change)
        return Response(data, headers={"ETag": etag})

    @extend_schema(
        summary="Review a statement: reviewed, rejected or pending (editors: change_statement)",
        description="Rejecting keeps the statement (hidden from public reads); it can be set "
        "back to pending or reviewed, so rejected statements are found by id here. "
        + IF_MATCH_HELP,
        request=ReviewStatusSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses=STATEMENT_WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"], permission_classes=[CanChangeStatement])
    def review(self, request, pk=None):
        statement = get_object_or_404(Statement, pk=pk)
        serializer = ReviewStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._write(
            statement,
            lambda expected: editing.set_review_status(
                statement=statement,
                status=serializer.validated_data["status"],
                user=request.user,
                expected_version=expected,
            ),
        )

    @extend_schema(
        summary="Set the allies and targets a statement concerns (editors: change_statement)",
        description=IF_MATCH_HELP,
        request=StatementAboutSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses=STATEMENT_WRITE_RESPONSES,
    )
    @action(detail=True, methods=["put"], permission_classes=[CanChangeStatement])
    def about(self, request, pk=None):
        statement = get_object_or_404(Statement, pk=pk)
        serializer = StatementAboutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._write(
            statement,
            lambda expected: editing.set_statement_about(
                statement=statement,
                members=serializer.validated_data["allies"],
                targets=serializer.validated_data["targets"],
                user=request.user,
                expected_version=expected,
            ),
        )

    @extend_schema(
        summary="Correct a statement's speaker (editors: articles.change_statement)",
        description=IF_MATCH_HELP,
        request=SpeakerChangeSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses=STATEMENT_WRITE_RESPONSES,
    )
    @action(detail=True, methods=["put"], permission_classes=[CanChangeStatement])
    def speaker(self, request, pk=None):
        statement = self.get_object()
        serializer = SpeakerChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._write(
            statement,
            lambda expected: editing.set_statement_speaker(
                statement=statement,
                speaker=serializer.validated_data["speaker"],
                user=request.user,
                expected_version=expected,
            ),
        )

    @extend_schema(
        summary="Create a speaker and attribute the statement to them "
        "(editors: change_statement and add_speaker)",
        description="One transaction: when the statement changed since the ETag sent as "
        "`If-Match`, 412 and no speaker is created. " + IF_MATCH_HELP,
        request=SpeakerCreateSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses=STATEMENT_WRITE_RESPONSES,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="new-speaker",
        permission_classes=[CanChangeStatement],
    )
    def new_speaker(self, request, pk=None):
        statement = get_object_or_404(Statement, pk=pk)
        serializer = SpeakerCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._write(
            statement,
            lambda expected: editing.create_speaker_for_statement(
                statement=statement,
                user=request.user,
                expected_version=expected,
                **serializer.validated_data,
            ),
        )


@list_and_detail(
    SpeakerSerializer,
    summary="People quoted in articles",
    detail="One speaker by slug",
    lookup=OpenApiParameter("slug", str, OpenApiParameter.PATH),
)
class SpeakerViewSet(ReadOnlyViewSet):
    """Speakers, with the short names the press uses and how many statements they made;
    editors add speakers (``add_speaker``, and ``add_speakeralias`` for short names)."""

    permission_classes = [EditorModelPermissions]

    serializer_class = SpeakerSerializer
    filterset_class = SpeakerFilterSet
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    ordering_fields = ["name", "statement_count"]
    ordering = ["name", "pk"]
    csv_filename = "speakers"

    def get_queryset(self):
        return Speaker.objects.with_public_counts().prefetch_related("aliases")

    @extend_schema(
        summary="Add a speaker (editors: add_speaker)",
        request=SpeakerCreateSerializer,
        responses={201: SpeakerSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request, *args, **kwargs):
        serializer = SpeakerCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        speaker = editing.create_speaker(user=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=speaker.pk)
        return Response(SpeakerSerializer(fresh).data, status=status.HTTP_201_CREATED)


@list_and_detail(
    ArticleSerializer,
    summary="Articles (metadata; the text is in the detail)",
    detail="One article, with its text",
    detail_serializer=ArticleDetailSerializer,
)
class ArticleViewSet(ReadOnlyViewSet):
    """Ingested news articles, newest first."""

    filterset_class = ArticleFilterSet
    ordering_fields = ["published", "ingested_at", "id"]
    ordering = [F("published").desc(nulls_last=True), "-ingested_at", "-pk"]
    csv_filename = "articles"

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def get_queryset(self):
        queryset = Article.objects.public().with_public_counts()
        if self.action == "list":
            queryset = queryset.listing()
        return queryset


@list_and_detail(
    StatementLinkSerializer,
    summary="Editors' links between statements and official figures or targets",
    create=extend_schema(
        summary="Link a statement to a figure and/or target (editors: add_statementlink)",
        description="A new version of the statement. `If-Match`: the statement's ETag. "
        + IF_MATCH_HELP,
        parameters=[IF_MATCH_PARAMETER],
        responses={
            201: StatementLinkSerializer,
            **error_responses(400, 401, 403),
            412: PreconditionFailedSerializer,
        },
    ),
    destroy=extend_schema(
        summary="Remove a link (editors: delete_statementlink)",
        description="A new version of the statement. `If-Match`: the statement's ETag. "
        + IF_MATCH_HELP,
        parameters=[IF_MATCH_PARAMETER],
        responses={204: None, **error_responses(401, 403, 404), 412: PreconditionFailedSerializer},
    ),
)
class StatementLinkViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Links made by editors; anyone reads them, editors add and remove them."""

    serializer_class = StatementLinkSerializer
    permission_classes = [EditorModelPermissions]
    filter_backends = READ_FILTERS
    filterset_class = StatementLinkFilterSet
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-pk"]
    csv_filename = "statement-links"
    queryset = StatementLink.objects.all()

    def get_queryset(self):
        queryset = StatementLink.objects.select_related(
            "target", "figure__member", "figure__source", "created_by"
        )
        if self.request is not None and self.request.method in ("GET", "HEAD", "OPTIONS"):
            queryset = queryset.filter(statement__in=Statement.objects.public())
        return queryset

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        made = checked_write(
            request,
            data["statement"].pk,
            lambda expected: editing.link_statement(
                statement=data["statement"],
                figure=data.get("figure"),
                target=data.get("target"),
                note=data.get("note", ""),
                user=request.user,
                expected_version=expected,
            ),
        )
        link = self.get_queryset().get(pk=made.pk)
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        checked_write(
            self.request,
            instance.statement_id,
            lambda expected: editing.unlink_statement(
                link=instance, user=self.request.user, expected_version=expected
            ),
        )


@extend_schema(
    summary="Claims check: figures and claims reported in articles, checked against NATO data",
    description=(
        'Per-ally figures, alliance-level claims ("22 of 32 allies met 2%") and lists of '
        "allies said to meet or miss a target, each with its check against the figures known "
        "on the article's date (`check_as_published`) and the latest edition (`check_latest`). "
        "Newest articles first. CSV flattens the checks into `check_latest_verdict`, ..."
    ),
    parameters=[
        ClaimQuerySerializer,
        OpenApiParameter(
            "ally",
            str,
            many=True,
            explode=True,
            description="ISO3 code(s), any case, repeated or comma separated.",
        ),
        FORMAT_PARAMETER,
    ],
    responses={200: ClaimSerializer(many=True), **ERROR_RESPONSES},
)
class ClaimListView(ApiViewMixin, GenericAPIView):
    """Everything articles claim that can be checked, with the verdicts."""

    serializer_class = ClaimSerializer
    query_serializer_class = ClaimQuerySerializer
    filter_backends: list = []
    csv_filename = "claims"

    def get(self, request, *args, **kwargs):
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        querysets = claim_querysets(query.validated_data)
        # Rows read as values and shaped as ClaimSerializer's (articles.api.claim_rows).
        if self.is_csv():
            # One query per kind, in the list's order, merged and written as they are read.
            rows, truncated = claim_list_cells(querysets)
            return self.csv_rows_answer(rows, truncated=truncated)
        page = self.paginate_queryset(claim_keys(querysets))
        return self.get_paginated_response(claim_list_rows(page, querysets))


class CanChangeClaim(CanChangeStatement):
    """Confirming or overriding a verdict needs ``articles.change_<kind of claim>``; reading
    one (with its ETag, which names the editor) needs to be signed in, so the schema does not
    declare the reads anonymous."""

    public_reads = False

    def has_permission(self, request, view) -> bool:
        model = editing.CLAIM_MODELS.get(view.kwargs.get("kind", ""))
        if model is None:
            return bool(request.user and request.user.is_authenticated)
        user = request.user
        return bool(
            user and user.is_authenticated and user.has_perm(editing.claim_change_permission(model))
        )


@extend_schema_view(
    get=extend_schema(
        summary="A claim's verdict, with its ETag (editors: change_<kind>)",
        responses={200: VerdictResultSerializer, **error_responses(401, 403, 404)},
    ),
    post=extend_schema(
        summary="Confirm or override a claim's verdict (editors: change_<kind>)",
        description="`kind` is reported_figure, aggregate_claim or target_list; `id` the claim's "
        "id in /api/v1/claims/. Without `verdict` the automatic verdict is confirmed; a "
        "different verdict needs a `note`. The editor and the time are recorded (and in the "
        "history). " + IF_MATCH_HELP,
        request=VerdictChangeSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={
            200: VerdictResultSerializer,
            **error_responses(400, 401, 403, 404),
            412: PreconditionFailedSerializer,
        },
    ),
)
class ClaimVerdictView(ApiViewMixin, GenericAPIView):
    """An editor's verdict on one checked claim; GET gives it with its ETag."""

    serializer_class = VerdictChangeSerializer
    permission_classes = [CanChangeClaim]
    filter_backends: list = []

    @staticmethod
    def _claim(kind: str, pk: int):
        model = editing.CLAIM_MODELS.get(kind)
        if model is None:
            raise NotFound(f"Unknown kind of claim {kind[:40]!r}.")
        return get_object_or_404(model.objects.select_related("confirmed_by"), pk=pk)

    @staticmethod
    def _answer(kind: str, claim) -> tuple[dict, str]:
        data = VerdictResultSerializer(
            {
                "kind": kind,
                "id": claim.pk,
                "verdict": claim.verdict,
                "editor_verdict": claim.editor_verdict,
                "editor_note": claim.editor_note,
                "confirmed_by": claim.confirmed_by.get_username() if claim.confirmed_by else None,
                "confirmed_at": claim.confirmed_at,
                "version": claim.version,
            }
        ).data
        return data, concurrency.etag(data, claim.version)

    def get(self, request, kind: str, pk: int):
        data, tag = self._answer(kind, self._claim(kind, pk))
        return Response(data, headers={"ETag": tag})

    def post(self, request, kind: str, pk: int):
        claim = self._claim(kind, pk)
        serializer = VerdictChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim, _ = self.checked_write(
            request,
            kind,
            claim,
            lambda expected: editing.set_claim_verdict(
                claim=claim,
                verdict=serializer.validated_data.get("verdict"),
                note=serializer.validated_data.get("note", ""),
                user=request.user,
                expected_version=expected,
            ),
        )
        data, tag = self._answer(kind, claim)
        return Response(data, headers={"ETag": tag})

    @classmethod
    def checked_write(cls, request, kind: str, claim, change) -> tuple:
        """Run ``change(expected_version)`` under ``If-Match`` (the verdict's ETag: 412 when
        it names another, or when another write overtakes this one); the claim it returns and
        its ETag."""
        expected = None
        if "If-Match" in request.headers:
            expected = concurrency.expected_version(request, claim, cls._answer(kind, claim)[1])
        try:
            changed = change(expected)
        except editing.EditConflict as exc:
            raise concurrency.conflict(exc, cls._answer(kind, exc.current)[1]) from None
        return changed, cls._answer(kind, changed)[1]


HISTORY_CHANGE = {"+": "created", "~": "changed", "-": "deleted"}


def _version(row: dict) -> dict:
    record = row["record"]
    return {
        "history_id": record.history_id,
        "change": HISTORY_CHANGE[record.history_type],
        "date": record.history_date,
        "user": record.history_user.get_username() if record.history_user else None,
        "reason": record.history_change_reason or "",
        "changes": row["changes"],
    }


def _history_model(kind: str) -> type:
    model = editing.HISTORY_KINDS.get(kind)
    if model is None:
        known = ", ".join(editing.HISTORY_KINDS)
        raise NotFound(f"Unknown kind of object {kind[:40]!r}: use one of {known}.")
    return model


class EditorsOnly(BasePermission):
    """History holds editors' names: it is for users who may change that kind of object
    (``editing.history_permission``, the rule the editor pages use too)."""

    def has_permission(self, request, view) -> bool:
        model = editing.HISTORY_KINDS.get(view.kwargs.get("kind", ""))
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if model is None:
            return True  # the view answers 404
        return user.has_perm(editing.history_permission(model))


@extend_schema(
    summary="Every version of an object, newest first (editors)",
    description="`kind` is statement, speaker, link, reported_figure, aggregate_claim or "
    "target_list. Each version says who made it, when, and which fields changed.",
    responses={200: HistoryVersionSerializer(many=True), **error_responses(401, 403, 404)},
)
class HistoryView(ApiViewMixin, GenericAPIView):
    """The recorded versions of one statement, speaker, link or checked claim."""

    serializer_class = HistoryVersionSerializer
    permission_classes = [EditorsOnly]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]  # nested changes: JSON only
    filter_backends: list = []
    pagination_class = None

    def get(self, request, kind: str, pk: int):
        records = editing.history_records(_history_model(kind), pk)
        if not records:
            raise NotFound(f"There is no history for {kind} {pk}.")
        versions = [_version(row) for row in editing.history_rows(records)]
        return Response(HistoryVersionSerializer(versions, many=True).data)


@extend_schema(
    summary="Put an object back as it was in one version (editors)",
    description="Statements, speakers and claims get their editable fields back (a new, "
    "attributed version; nothing is deleted; 400 when they are already the current ones: "
    "nothing to revert). For a removed link, restores it (a new version "
    "of its statement). `If-Match`: the ETag of the statement (also for a link) or of the "
    "claim's verdict; speakers have none. " + IF_MATCH_HELP,
    request=None,
    parameters=[IF_MATCH_PARAMETER],
    responses={
        200: HistoryVersionSerializer,
        **error_responses(400, 401, 403, 404),
        412: PreconditionFailedSerializer,
    },
)
class RevertView(ApiViewMixin, GenericAPIView):
    """Revert to a historical version, or restore a removed link."""

    serializer_class = HistoryVersionSerializer
    permission_classes = [EditorsOnly]
    filter_backends: list = []

    def post(self, request, kind: str, history_id: int):
        model = _history_model(kind)
        record = get_object_or_404(model.history.model, history_id=history_id)

        def revert(expected):
            return editing.revert_to_version(
                record=record, user=request.user, expected_version=expected
            )

        if model is Speaker:
            if "If-Match" in request.headers:
                raise ValidationError({"If-Match": "Speakers have no ETag: send none."})
            obj, headers = revert(None), {}
        elif model in (Statement, StatementLink):
            pk = record.statement_id if model is StatementLink else record.id
            obj = checked_write(request, pk, revert)
            headers = {"ETag": statement_answer(request, pk)[2]}
        else:
            claim = ClaimVerdictView._claim(kind, record.id)
            obj, etag = ClaimVerdictView.checked_write(request, kind, claim, revert)
            headers = {"ETag": etag}
        newest = editing.history_rows(editing.history_records(model, obj.pk)[:2])[0]
        return Response(HistoryVersionSerializer(_version(newest)).data, headers=headers)
