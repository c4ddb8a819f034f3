"""The read-only public API of published penalty records: /api/v1/public/penalties/.

Anonymous (the project's default permission is IsAuthenticated, overridden here), rate limited per
client by ``ScopedRateThrottle`` (scope "public_penalties", rate PUBLIC_API_RATE in settings), cursor
paged, with the same filters as the search page (``disclosure.search``) and the same masked
columns as the exports (``disclosure.opendata.PUBLIC_COLUMNS``). Only
``PenaltyDisclosure.objects.public()`` rows are reachable; a record by ``public_id``.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle

from . import opendata
from .models import PenaltyDisclosure
from .search import PublicSearchForm, planned, search


class PublicPenaltySerializer(serializers.ModelSerializer):
    class Meta:
        model = PenaltyDisclosure
        fields = opendata.FIELDS
        read_only_fields = fields


class PublicCursorPagination(CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-decided_on", "-id")


class _Public:
    permission_classes = [AllowAny]
    authentication_classes = []  # anonymous: no session, no CSRF
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_penalties"
    serializer_class = PublicPenaltySerializer


FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="当事人名称（可为名称的一部分）"),
    OpenApiParameter("uscc", OpenApiTypes.STR, description="统一社会信用代码（18 位，含校验位）"),
    OpenApiParameter("number", OpenApiTypes.STR, description="行政处罚决定书文号"),
    OpenApiParameter("agency", OpenApiTypes.INT, description="处罚机关编号"),
    OpenApiParameter("region", OpenApiTypes.INT, description="行政区划编号（含下级）"),
    OpenApiParameter("item", OpenApiTypes.INT, description="权责事项（违法行为类型）编号"),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="处罚决定日期自"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="处罚决定日期至"),
]


@extend_schema_view(get=extend_schema(summary="查询已公示的行政处罚信息", parameters=FILTERS, auth=[]))
class PublicPenaltyList(_Public, generics.ListAPIView):
    pagination_class = PublicCursorPagination

    def get_queryset(self):
        params = {k: v for k, v in self.request.query_params.items() if k in PublicSearchForm.base_fields}
        params.pop("sort", None)  # the cursor fixes the order: newest first
        form = PublicSearchForm(params)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        self.filters = form.cleaned_data
        return search(form.cleaned_data)

    def paginate_queryset(self, queryset):
        with planned(self.filters):  # a common part of a name walks the newest-first index
            return super().paginate_queryset(queryset)


@extend_schema_view(get=extend_schema(summary="一条已公示的行政处罚信息", auth=[]))
class PublicPenaltyDetail(_Public, generics.RetrieveAPIView):
    lookup_field = "public_id"

    def get_queryset(self):
        return PenaltyDisclosure.objects.public()
