"""API views of the dataset as a whole: the metadata endpoint and the bulk download
(built by :mod:`nato_tracker.dataset`)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from nato_tracker import dataset
from nato_tracker.api.params import one_value
from nato_tracker.api.renderers import FormatFirstNegotiation
from nato_tracker.api.schema import error_responses
from nato_tracker.api.viewsets import ApiViewMixin


class EditionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Source code, as in `edition=`.")
    title = serializers.CharField()
    short_title = serializers.CharField()
    publisher = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    released = serializers.DateField(allow_null=True, help_text="Day NATO released it.")
    definition = serializers.CharField(
        allow_blank=True, help_text="What it counts as defence expenditure."
    )
    document_published = serializers.DateField(
        allow_null=True, help_text="Date of the document its numbers were read from."
    )
    document_published_precision = serializers.CharField(help_text="`day`, `month` or `year`.")
    first_year = serializers.IntegerField(allow_null=True, help_text="First year it covers.")
    last_year = serializers.IntegerField(allow_null=True, help_text="Last year it covers.")
    metrics = serializers.ListField(
        child=serializers.CharField(), help_text="Metrics of the ally figures it has."
    )
    aggregate_metrics = serializers.ListField(
        child=serializers.CharField(),
        help_text="Metrics of the alliance totals it has (`/api/v1/aggregates/`), e.g. "
        "`spending_usd_2021`, held for the totals only.",
    )
    allies = serializers.IntegerField(help_text="Allies with at least one figure in it.")
    figures = serializers.IntegerField(help_text="Ally figures it published.")


class LicenceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Licence of the code and the compilation.")
    data = serializers.CharField(help_text="Whose the figures and quotations are.")
    url = serializers.CharField()


class TableSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="`<name>.csv` in the bulk download.")
    description = serializers.CharField()
    rows = serializers.IntegerField()


class MetadataSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    data_version = serializers.CharField(
        help_text="Changes with every change of the data; the ETags derive from it."
    )
    data_version_since = serializers.DateTimeField(
        allow_null=True, help_text="When this data version was made (the `Last-Modified`)."
    )
    last_updated = serializers.DateTimeField(
        allow_null=True,
        help_text="Latest change the database records: edition release, article ingested, link.",
    )
    editions = EditionSerializer(many=True, help_text="Every NATO edition, newest first.")
    licence = LicenceSerializer()
    citation = serializers.CharField(help_text="How to cite this version of the dataset.")
    tables = TableSerializer(many=True, help_text="The tables of the bulk download.")
    bulk_download = serializers.URLField(help_text="The zip of every table.")


class MetadataView(ApiViewMixin, GenericAPIView):
    """Data version, last update, every NATO edition with its release date and coverage,
    licence and how to cite; the tables of the bulk download."""

    renderer_classes = [JSONRenderer]
    serializer_class = MetadataSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary="About the dataset: version, editions, licence, citation",
        responses={200: MetadataSerializer, **error_responses(400)},
    )
    def get(self, request, *args, **kwargs):
        data = {
            **dataset.metadata(),
            "bulk_download": reverse("api:bulk-download", request=request),
        }
        return Response(MetadataSerializer(data).data)


class ZipRenderer(BaseRenderer):
    media_type = "application/zip"
    format = "zip"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ZipNegotiation(FormatFirstNegotiation):
    """Always the zip, whatever ``Accept`` says (``?format=`` other than ``zip`` is a 400)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if format_suffix or one_value(request, self.settings.URL_FORMAT_OVERRIDE):
            return super().select_renderer(request, renderers, format_suffix)
        return renderers[0], renderers[0].media_type


class BulkDownloadView(ApiViewMixin, GenericAPIView):
    """Every table as CSV, ``datapackage.json`` (Frictionless Data Package with column types and
    keys) and a README with the citation, in one zip, rebuilt after any change of the data."""

    renderer_classes = [ZipRenderer]
    content_negotiation_class = ZipNegotiation
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary="Bulk download: every table as CSV with a Frictionless datapackage.json",
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="A zip of CSV files, datapackage.json, README.md"
            ),
            **error_responses(400),
        },
    )
    def get(self, request, *args, **kwargs):
        response = Response(dataset.bulk_zip(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{dataset.NAME}.zip"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:  # errors are JSON
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
