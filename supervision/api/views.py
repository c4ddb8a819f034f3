"""/api/v1/supervision/: alerts and notices for mobile terminals and integrations, with the same
scope (lawenforce.access), the same lifecycle services and the same refusals as the browser."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.api.base import ScopedMixin
from lawenforce.access import get_in_scope_or_404, restrict
from supervision.models import Alert, SupervisionNotice
from supervision.rules import get_rule
from supervision.services import alerts as alert_service
from supervision.services import notices as notice_service


class AlertSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    description = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "rule",
            "title",
            "article",
            "severity",
            "state",
            "raised_at",
            "facts",
            "description",
            "case",
            "case_reference",
            "agency",
            "agency_name",
            "notified_at",
            "resolved_at",
            "resolution",
            "cleared_at",
        ]
        read_only_fields = fields

    def get_description(self, alert) -> str:
        rule = get_rule(alert.rule)
        return rule.describe(alert.facts, timezone.localdate()) if rule else alert.message


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class NoticeSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    bureau_name = serializers.CharField(source="bureau.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "kind",
            "number",
            "subject",
            "findings",
            "requirements",
            "issued_on",
            "response_days",
            "response_due_on",
            "state",
            "answered_late",
            "overdue",
            "agency",
            "agency_name",
            "bureau",
            "bureau_name",
            "cases",
            "alerts",
            "sha256",
        ]
        read_only_fields = fields

    def get_overdue(self, notice) -> bool:
        return notice_service.is_overdue(notice)


class AlertViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AlertSerializer

    def get_queryset(self):
        alerts = restrict(Alert.objects.select_related("case", "agency"), self.request.user).order_by(
            "-raised_at", "-pk"
        )
        state = self.request.query_params.get("state")
        return alerts.filter(state=state) if state else alerts

    def _act(self, request, pk, name):
        alert = get_in_scope_or_404(Alert.objects.select_related("case", "agency"), request.user, pk=pk)
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alert = alert_service.ACTIONS[name](alert, request.user, body.validated_data.get("text", ""))
        return Response(AlertSerializer(Alert.objects.select_related("case", "agency").get(pk=alert.pk)).data)

    @extend_schema(request=TextSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        return self._act(request, pk, "notify")

    @extend_schema(request=TextSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._act(request, pk, "respond")

    @extend_schema(request=TextSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        return self._act(request, pk, "rectify")

    @extend_schema(request=TextSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self._act(request, pk, "dismiss")


class NoticeViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NoticeSerializer

    def get_queryset(self):
        return (
            restrict(SupervisionNotice.objects.select_related("agency", "bureau"), self.request.user)
            .prefetch_related("cases", "alerts")
            .order_by("-issued_on", "-pk")
        )

    @extend_schema(request=TextSerializer, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        notice = get_in_scope_or_404(SupervisionNotice.objects.all(), request.user, pk=pk)
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        notice_service.answer(notice, request.user, body.validated_data.get("text", ""))
        return Response(NoticeSerializer(self.get_queryset().get(pk=notice.pk)).data)
