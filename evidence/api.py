"""The evidence API under /api/v1/ (see api_urls.py): list and upload a case's evidence, read one item,
fetch its file. Same checks and same refusals as the browser (evidence/services.py):

- out of scope → 404; in read scope only (a supervisor) or no officer record → 403;
- a refused upload → 400 `{"code", "detail", "field"}` with the Chinese message the form shows;
- every read of an item or its file is recorded in EvidenceAccess.

Uploads are multipart (`file` plus the item's fields) and go through the same streaming, hashing
upload handler, installed before DRF parses the body.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from lawenforce.models import Officer

from . import services, uploads
from .models import AccessAction, EvidenceItem, EvidenceKind
from .streaming import serve_file


def api_exception_handler(exc, context):
    if isinstance(exc, services.EvidenceError):
        return Response(
            {"code": exc.rule_code, "detail": exc.text, "field": exc.field}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    return exception_handler(exc, context)


RefusalSerializer = inline_serializer(
    "EvidenceRefusal",
    {
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "field": serializers.CharField(allow_null=True),
    },
)


class EvidenceItemSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    collected_by_name = serializers.CharField(source="collected_by.name", read_only=True)
    uploaded_by_name = serializers.CharField(source="uploaded_by.name", read_only=True)
    url = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "url",
            "case",
            "kind",
            "kind_display",
            "title",
            "proves",
            "collected_at",
            "collected_place",
            "collected_by",
            "collected_by_name",
            "uploaded_by",
            "uploaded_by_name",
            "uploaded_at",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "sm3",
            "late_upload",
            "note",
            "file_url",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("evidence-api:item", kwargs={"pk": obj.pk}, request=self.context.get("request"))

    def get_file_url(self, obj) -> str:
        return reverse("evidence-api:item-file", kwargs={"pk": obj.pk}, request=self.context.get("request"))


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text=gettext_lazy("证据文件；类型以内容为准，大小不超过 MAX_UPLOAD_SIZE。")
    )
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    title = serializers.CharField(max_length=200)
    proves = serializers.CharField()
    collected_at = serializers.DateTimeField(help_text=gettext_lazy("带时区的 ISO 8601 时间。"))
    collected_place = serializers.CharField(max_length=256)
    collected_by = serializers.PrimaryKeyRelatedField(
        queryset=Officer.objects.all(), required=False, allow_null=True, help_text=gettext_lazy("默认为上传人。")
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceAPIMixin:
    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def get_exception_handler(self):
        return api_exception_handler


class CaseEvidenceView(EvidenceAPIMixin, generics.ListCreateAPIView):
    """A case's evidence, oldest collection first; POST uploads one item (multipart/form-data)."""

    serializer_class = EvidenceItemSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    queryset = EvidenceItem.objects.none()

    def initialize_request(self, request, *args, **kwargs):
        # Before anything (CSRF of a session, DRF's parsers) reads the body.
        self.upload_handler = uploads.install(request) if request.method == "POST" else None
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EvidenceItem.objects.none()
        case = services.case_for_view(self.request.user, self.kwargs["case_pk"])
        return services.items_in_scope(self.request.user).filter(case=case).order_by("collected_at", "pk")

    @extend_schema(summary=gettext_lazy("案件的证据列表"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("上传证据"),
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceItemSerializer, 400: RefusalSerializer},
    )
    def post(self, request, *args, **kwargs):
        case, officer = services.case_for_upload(request.user, self.kwargs["case_pk"])
        services.check_case_open(case)
        data = request.data  # parses the body through the upload handler
        refusals = self.upload_handler.refusals if self.upload_handler else {}
        if refusals:
            raise services.EvidenceError(next(iter(refusals.values())), code="file_too_large", field="file")
        if len(request.FILES.getlist("file")) > 1:
            raise services.EvidenceError(_("一次只能上传一个文件。"), code="file_many", field="file")
        if "file" not in request.FILES:
            raise services.EvidenceError(_("请选择要上传的文件。"), code="file_missing", field="file")
        serializer = EvidenceUploadSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        fields = serializer.validated_data
        item = services.add_evidence(
            case,
            officer,
            request.FILES["file"],
            kind=fields["kind"],
            title=fields["title"],
            proves=fields["proves"],
            collected_at=fields["collected_at"],
            collected_place=fields["collected_place"],
            collected_by=fields.get("collected_by"),
            note=fields.get("note", ""),
        )
        body = EvidenceItemSerializer(item, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class EvidenceItemView(EvidenceAPIMixin, generics.RetrieveAPIView):
    """One evidence item's metadata and digests. Recorded as a view."""

    serializer_class = EvidenceItemSerializer
    queryset = EvidenceItem.objects.none()

    @extend_schema(summary=gettext_lazy("证据详情"))
    def get(self, request, *args, **kwargs):
        item = services.item_for_view(request.user, kwargs["pk"])
        services.record_access(request._request, item, AccessAction.VIEW)
        return Response(EvidenceItemSerializer(item, context=self.get_serializer_context()).data)


class EvidenceFileView(EvidenceAPIMixin, generics.GenericAPIView):
    """The file itself; honours a single HTTP Range. Recorded as a download."""

    serializer_class = EvidenceItemSerializer
    queryset = EvidenceItem.objects.none()

    @extend_schema(
        summary=gettext_lazy("下载证据文件"),
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            (206, "application/octet-stream"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, *args, **kwargs):
        item = services.item_for_view(request.user, kwargs["pk"])
        try:
            response, sent = serve_file(request._request, item, as_attachment=True)
        except FileNotFoundError:
            raise Http404(_("证据文件不存在。")) from None
        if response.status_code != 416:
            services.record_access(request._request, item, AccessAction.DOWNLOAD, sent)
        return response
