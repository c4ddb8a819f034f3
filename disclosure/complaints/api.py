"""/api/v1/complaints/: the agency's complaint handling for mobile terminals and integrations.

The same service functions and the same scope as the pages: an agency lists and handles the
complaints routed to it, a supervisor reads its region's, anyone else gets 404 for a complaint
outside their scope. A refused step answers 400 ``{"code", "detail", "article", "field"}`` with
the service's Chinese text.
"""

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.api.base import ScopedMixin, api_exception_handler
from cases.models import Case
from disclosure.models import Complaint, ComplaintEvent, ComplaintState

from . import services


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.name", default="", read_only=True)

    class Meta:
        model = ComplaintEvent
        fields = ["at", "action", "from_state", "to_state", "note", "public", "actor"]


class ComplaintListSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", default="", read_only=True)
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_code",
            "kind",
            "title",
            "state",
            "received_at",
            "agency",
            "accept_due_on",
            "days_left",
            "case",
        ]

    def get_days_left(self, obj):
        return services.days_left(obj)


class ComplaintDetailSerializer(ComplaintListSerializer):
    """For the handling agency and supervisors only (scope is checked before): includes the complainant."""

    region = serializers.CharField(source="region.name", read_only=True)
    power_item = serializers.CharField(source="power_item.name", default="", read_only=True)
    events = EventSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta(ComplaintListSerializer.Meta):
        fields = ComplaintListSerializer.Meta.fields + [
            "region",
            "sector",
            "power_item",
            "routing_note",
            "subject_name",
            "subject_uscc",
            "subject_address",
            "content",
            "occurred_on",
            "place",
            "anonymous",
            "complainant_name",
            "complainant_phone",
            "complainant_email",
            "complainant_id_number",
            "accepted_on",
            "rejected_on",
            "transferred_on",
            "closed_on",
            "reply",
            "internal_note",
            "events",
            "attachments",
        ]

    def get_attachments(self, obj):
        return [
            {"name": a.download_name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256, "sm3": a.sm3}
            for a in obj.attachments.all()
        ]


class AcceptInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RefuseInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=services.REPLY_MAX_LENGTH)


class TransferInput(serializers.Serializer):
    to_agency = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, max_length=services.REPLY_MAX_LENGTH)


class LeadInput(serializers.Serializer):
    pass


class CloseInput(serializers.Serializer):
    reply = serializers.CharField(allow_blank=True, max_length=services.REPLY_MAX_LENGTH)
    internal_note = serializers.CharField(required=False, allow_blank=True, default="")


def _handler(exc, context):
    if isinstance(exc, services.ComplaintError):
        body = {"code": exc.rule_code, "detail": exc.text, "article": exc.article, "field": exc.field}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return api_exception_handler(exc, context)


class ComplaintViewSet(ScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ComplaintListSerializer

    def get_exception_handler(self):
        return _handler

    def get_queryset(self):
        qs = services.complaints_in_scope(self.request.user).select_related("agency", "region", "power_item")
        params = self.request.query_params
        if params.get("state") in ComplaintState.values:
            qs = qs.filter(state=params["state"])
        if params.get("overdue") == "1":
            qs = qs.overdue(timezone.localdate())
        return qs.order_by("accept_due_on", "-received_at", "-pk")

    def detail_body(self, complaint):
        prefetch_related_objects([complaint], "events__actor", "attachments")
        body = ComplaintDetailSerializer(complaint).data
        if not services.shows_complainant(complaint, self.request.user):
            for field in services.PERSONAL_FIELDS:
                body.pop(field, None)
            body.pop("attachments", None)
        return body

    @extend_schema(responses=ComplaintDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(self.detail_body(services.complaint_for(request.user, pk)))

    def _step(self, request, pk, input_serializer, run):
        user = request.user
        complaint = services.complaint_for(user, pk)
        if not services.handles(complaint, user):
            raise exceptions.PermissionDenied(_("您可以查阅此投诉举报，但无权办理。"))
        officer = self.acting_officer()
        serializer = input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = run(complaint, officer, serializer.validated_data)
        fresh = services.complaints_in_scope(user).filter(pk=complaint.pk).first()
        if fresh is None:  # transferred away: no longer ours, so no personal data in the answer
            return Response(ComplaintListSerializer(Complaint.objects.get(pk=complaint.pk)).data)
        body = self.detail_body(fresh)
        if isinstance(result, Case):
            body["created_case"] = result.pk
        return Response(body)

    @extend_schema(request=AcceptInput, responses=ComplaintDetailSerializer, summary="受理")
    @action(detail=True, methods=["post"], serializer_class=AcceptInput)
    def accept(self, request, pk=None):
        return self._step(request, pk, AcceptInput, lambda c, o, d: services.accept(c, o, note=d["note"]))

    @extend_schema(request=RefuseInput, responses=ComplaintDetailSerializer, summary="不予受理")
    @action(detail=True, methods=["post"], serializer_class=RefuseInput)
    def refuse(self, request, pk=None):
        return self._step(request, pk, RefuseInput, lambda c, o, d: services.refuse(c, o, reason=d["reason"]))

    @extend_schema(request=TransferInput, responses=ComplaintDetailSerializer, summary="转办")
    @action(detail=True, methods=["post"], serializer_class=TransferInput)
    def transfer(self, request, pk=None):
        def run(complaint, officer, data):
            target = services.transfer_targets(complaint).filter(pk=data["to_agency"]).first()
            if target is None:
                raise services.ComplaintError(
                    _("请选择可以接收投诉举报的其他机关。"), code="agency_cannot_receive", field="to_agency"
                )
            services.transfer(complaint, officer, to_agency=target, reason=data["reason"])

        return self._step(request, pk, TransferInput, run)

    @extend_schema(request=LeadInput, responses=ComplaintDetailSerializer, summary="转为案件线索")
    @action(detail=True, methods=["post"], serializer_class=LeadInput)
    def lead(self, request, pk=None):
        return self._step(request, pk, LeadInput, lambda c, o, d: services.make_lead(c, o))

    @extend_schema(request=CloseInput, responses=ComplaintDetailSerializer, summary="办结")
    @action(detail=True, methods=["post"], serializer_class=CloseInput)
    def close(self, request, pk=None):
        return self._step(
            request,
            pk,
            CloseInput,
            lambda c, o, d: services.close(c, o, reply=d["reply"], internal_note=d["internal_note"]),
        )
