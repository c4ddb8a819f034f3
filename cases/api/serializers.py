"""Serializers of the case API: what is read (cases and their records), and one input serializer
per workflow step, named after the step. Input serializers validate types only (dates, money as
decimal strings, officers of the case's agency); the law's checks are the workflow's.

Money is written as a string with two decimals, dates as ISO dates, times as aware ISO
datetimes in Asia/Shanghai (the project's TIME_ZONE).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse as django_reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from cases.models import (
    PARTY_INPUT_FIELDS,
    REVIEW_CHECKLIST,
    ArrangementKind,
    Case,
    CaseEvent,
    CoerciveMeasure,
    CourtApplication,
    DecisionKind,
    Deliberation,
    Document,
    DocumentKind,
    Extension,
    Hearing,
    LegalReview,
    MeasureKind,
    MeasureState,
    Party,
    Payment,
    PaymentArrangement,
    PriorNotice,
    Remedy,
    RemedyKind,
    RemedyOutcome,
    ReviewOutcome,
    SeizedItem,
    Service,
    ServiceMethod,
    Source,
)
from lawenforce.models import DiscretionStandard, Officer, PenaltyKind, PowerItem

MONEY = {"max_digits": 14, "decimal_places": 2}


# --- Masking ---------------------------------------------------------------------------------


def mask_id_number(value):
    """370811********1234: region and last four kept, birth date and sequence hidden."""
    if not value:
        return value
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value):
    if not value:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


# --- Read ------------------------------------------------------------------------------------


class OfficerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Officer
        fields = ["id", "name"]


class PowerItemBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PowerItem
        fields = ["id", "code", "name"]


class PartySerializer(serializers.ModelSerializer):
    """A party. ID and phone numbers are shown in full only to officers of the case's agency
    (serializer context `full_identity`); supervisors and everyone else see them masked."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Party
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "id_number",
            "uscc",
            "legal_representative",
            "address",
            "phone",
            "birth_date",
            "electronic_service_consent",
            "electronic_address",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("full_identity"):
            data["id_number"] = mask_id_number(data["id_number"])
            data["phone"] = mask_phone(data["phone"])
            if data["id_number"]:
                data["birth_date"] = None
        return data


class PartyInputSerializer(serializers.ModelSerializer):
    """A party as entered: the model's validators (ID number, USCC, phone) and its `clean()`
    (which numbers a kind of party needs) run here, so errors come back per party and field."""

    class Meta:
        model = Party
        fields = [*PARTY_INPUT_FIELDS, "birth_date"]

    def validate(self, attrs):
        party = Party(**attrs)
        try:
            party.full_clean(exclude=["case"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from None
        return attrs


class CaseEventSerializer(serializers.ModelSerializer):
    actor = OfficerBriefSerializer(read_only=True)
    from_state_display = serializers.CharField(source="get_from_state_display", read_only=True)
    to_state_display = serializers.CharField(source="get_to_state_display", read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "from_state",
            "from_state_display",
            "to_state",
            "to_state_display",
            "summary",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_display",
            "number",
            "title",
            "sha256",
            "size",
            "created_at",
            "created_by",
            "superseded_by",
            "download_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj):
        return reverse("api:document-file", kwargs={"pk": obj.pk}, request=self.context.get("request"))


def _record_serializer(record_model, exclude=("case",)):
    meta = type("Meta", (), {"model": record_model, "exclude": list(exclude)})
    return type(f"{record_model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})


ExtensionSerializer = _record_serializer(Extension)
PriorNoticeSerializer = _record_serializer(PriorNotice)
HearingSerializer = _record_serializer(Hearing)
DeliberationSerializer = _record_serializer(Deliberation)


class ServiceSerializer(_record_serializer(Service)):
    receipt = serializers.SerializerMethodField(help_text=_("送达决定书时出具的存证回执（无则为 null）"))
    receipt_url = serializers.SerializerMethodField(help_text=_("存证回执 JSON 文件的下载地址（浏览器登录后）"))

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_receipt(self, obj):
        if obj.receipt_checkpoint_id is None:
            return None
        from cases.errors import WorkflowError
        from cases.workflow import service_receipt

        try:
            return service_receipt(obj)
        except WorkflowError:  # the entry is gone from the ledger: verify_ledger reports it
            return None

    @extend_schema_field(OpenApiTypes.URI)
    def get_receipt_url(self, obj):
        if obj.ledger_index is None:
            return None
        url = django_reverse("cases:service-receipt", kwargs={"pk": obj.case_id, "service_pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


PaymentSerializer = _record_serializer(Payment)
PaymentArrangementSerializer = _record_serializer(PaymentArrangement)
CourtApplicationSerializer = _record_serializer(CourtApplication)
SeizedItemSerializer = _record_serializer(SeizedItem, exclude=("measure",))


class LegalReviewSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = LegalReview
        exclude = ["case"]


class CoerciveMeasureSerializer(serializers.ModelSerializer):
    items = SeizedItemSerializer(many=True, read_only=True)

    class Meta:
        model = CoerciveMeasure
        exclude = ["case"]


class RemedySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = Remedy
        exclude = ["case"]


class DeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    article = serializers.CharField(allow_blank=True)


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    url = serializers.URLField(allow_null=True, help_text=_("办理此环节的 API 地址（POST）。"))


class CaseListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:case-detail")
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    procedure_display = serializers.CharField(source="get_procedure_display", read_only=True)
    agency = serializers.SerializerMethodField()
    power_item = PowerItemBriefSerializer(read_only=True)
    party_names = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "url",
            "number",
            "title",
            "procedure",
            "procedure_display",
            "state",
            "state_display",
            "agency",
            "power_item",
            "party_names",
            "source",
            "lead_received_on",
            "filed_on",
            "decision_number",
            "decided_on",
            "fine_amount",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})
    def get_agency(self, obj):
        return {"id": obj.agency_id, "name": obj.agency.name}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_party_names(self, obj):
        return [party.name for party in obj.parties.all()]


class CaseDetailSerializer(CaseListSerializer):
    """The whole case: its fields, parties, handlers, the step records, the timeline, the documents,
    the deadlines (cases.deadlines.case_deadlines) and what the requesting officer can do next
    (cases.workflow.available_actions). The view passes `deadlines` and `actions` in the context."""

    source_display = serializers.CharField(source="get_source_display", read_only=True)
    registered_by = OfficerBriefSerializer(read_only=True)
    decided_by = OfficerBriefSerializer(read_only=True)
    handlers = OfficerBriefSerializer(many=True, read_only=True)
    parties = serializers.SerializerMethodField()
    prior_notice = serializers.SerializerMethodField()
    hearing = serializers.SerializerMethodField()
    court_application = serializers.SerializerMethodField()
    extensions = ExtensionSerializer(many=True, read_only=True)
    legal_reviews = LegalReviewSerializer(many=True, read_only=True)
    deliberations = DeliberationSerializer(many=True, read_only=True)
    services = ServiceSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    arrangements = PaymentArrangementSerializer(many=True, read_only=True)
    measures = CoerciveMeasureSerializer(many=True, read_only=True)
    remedies = RemedySerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    events = CaseEventSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + [
            "source_display",
            "lead_summary",
            "registered_by",
            "handlers",
            "violation_date",
            "violation_continuing_until",
            "involves_life_health_or_finance",
            "facts",
            "evidence_summary",
            "discretion_standard",
            "proposed_penalty_kinds",
            "proposed_fine",
            "proposed_confiscation",
            "fine_base_amount",
            "deviation_reason",
            "is_major",
            "major_reason",
            "is_complex",
            "decision_kind",
            "decided_by",
            "penalty_kinds",
            "confiscated_amount",
            "decision_text",
            "spot_place",
            "reported_on",
            "served_on",
            "payment_due_on",
            "closed_on",
            "archived_on",
            "parties",
            "prior_notice",
            "hearing",
            "court_application",
            "extensions",
            "legal_reviews",
            "deliberations",
            "services",
            "payments",
            "arrangements",
            "measures",
            "remedies",
            "documents",
            "events",
            "deadlines",
            "available_actions",
        ]

    @extend_schema_field(PartySerializer(many=True))
    def get_parties(self, obj):
        return PartySerializer(obj.parties.all(), many=True, context=self.context).data

    def _one(self, obj, attr, serializer):
        try:
            record = getattr(obj, attr)
        except Exception:  # RelatedObjectDoesNotExist of a one-to-one
            return None
        return serializer(record, context=self.context).data

    @extend_schema_field(PriorNoticeSerializer(allow_null=True))
    def get_prior_notice(self, obj):
        return self._one(obj, "prior_notice", PriorNoticeSerializer)

    @extend_schema_field(HearingSerializer(allow_null=True))
    def get_hearing(self, obj):
        return self._one(obj, "hearing", HearingSerializer)

    @extend_schema_field(CourtApplicationSerializer(allow_null=True))
    def get_court_application(self, obj):
        return self._one(obj, "court_application", CourtApplicationSerializer)

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj):
        return DeadlineSerializer(self.context.get("deadlines", []), many=True).data

    @extend_schema_field(ActionSerializer(many=True))
    def get_available_actions(self, obj):
        return self.context.get("actions", [])


class ReviewQueueSerializer(LegalReviewSerializer):
    case = serializers.SerializerMethodField()
    submitted_by = OfficerBriefSerializer(read_only=True)

    class Meta(LegalReviewSerializer.Meta):
        exclude = []

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "number": {"type": "string"},
                "title": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
            },
        }
    )
    def get_case(self, obj):
        url = reverse("api:case-detail", kwargs={"pk": obj.case_id}, request=self.context.get("request"))
        return {"id": obj.case_id, "number": obj.case.number, "title": obj.case.title, "url": url}


class RefusalSerializer(serializers.Serializer):
    """The body of a refused step (HTTP 400): the workflow's rule code and Chinese message."""

    code = serializers.CharField(help_text=_("规则代码，稳定不变，供程序判断。"))
    detail = serializers.CharField(help_text=_("与网页端相同的中文提示，含法律依据。"))
    article = serializers.CharField(allow_blank=True)
    field = serializers.CharField(allow_null=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    officer = OfficerBriefSerializer(allow_null=True)


# --- Input: one serializer per workflow step ------------------------------------------------


class AgencyOfficersField(serializers.PrimaryKeyRelatedField):
    """An officer id, limited to active officers of the agency in the serializer context."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Officer.objects.all())  # the model, for the schema
        super().__init__(**kwargs)

    def get_queryset(self):
        agency = self.context.get("agency")
        if agency is None:
            return Officer.objects.none()
        return Officer.objects.filter(agency=agency, active=True)


class StepInput(serializers.Serializer):
    """Base of the input serializers. `workflow_kwargs()` is what the workflow function receives."""

    def workflow_kwargs(self):
        return dict(self.validated_data)


class EmptyInput(StepInput):
    pass


def money(**kwargs):
    return serializers.DecimalField(**MONEY, min_value=0, **kwargs)


def penalty_kinds(**kwargs):
    return serializers.ListField(child=serializers.ChoiceField(choices=PenaltyKind.choices), **kwargs)


class RegisterLeadInput(StepInput):
    source = serializers.ChoiceField(choices=Source.choices)
    title = serializers.CharField(max_length=256)
    lead_received_on = serializers.DateField()
    lead_summary = serializers.CharField(required=False, allow_blank=True, default="")
    power_item = serializers.PrimaryKeyRelatedField(queryset=PowerItem.objects.all(), required=False, allow_null=True)
    parties = PartyInputSerializer(many=True, required=False, default=list)


class AddPartyInput(PartyInputSerializer):
    def workflow_kwargs(self):
        return dict(self.validated_data)


class ApproveFilingInput(StepInput):
    handlers = AgencyOfficersField(many=True)
    power_item = serializers.PrimaryKeyRelatedField(queryset=PowerItem.objects.all())
    violation_date = serializers.DateField()
    filed_on = serializers.DateField()
    violation_continuing_until = serializers.DateField(required=False, allow_null=True, default=None)
    involves_life_health_or_finance = serializers.BooleanField(required=False, default=False)


class DeclineFilingInput(StepInput):
    reason = serializers.CharField()


class ExtensionInput(StepInput):
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField()
    approved_on = serializers.DateField()
    by_deliberation = serializers.BooleanField(required=False, default=False)


class CompleteInvestigationInput(StepInput):
    facts = serializers.CharField()
    evidence_summary = serializers.CharField()
    discretion_standard = serializers.PrimaryKeyRelatedField(
        queryset=DiscretionStandard.objects.all(), required=False, allow_null=True, default=None
    )
    penalty_kinds = penalty_kinds()
    fine = money(required=False, allow_null=True, default=None)
    confiscation = money(required=False, allow_null=True, default=None)
    fine_base_amount = money(required=False, allow_null=True, default=None)
    deviation_reason = serializers.CharField(required=False, allow_blank=True)
    is_major = serializers.BooleanField(required=False, default=False)
    major_reason = serializers.CharField(required=False, allow_blank=True, default="")
    is_complex = serializers.BooleanField(required=False, default=False)


class PriorNoticeInput(StepInput):
    served_on = serializers.DateField()
    approved_by = AgencyOfficersField(
        required=False, allow_null=True, help_text=_("批准案件审核的机关负责人（可选，记入办案记录）。")
    )


class MaterialsInput(StepInput):
    materials = serializers.CharField(required=False, allow_blank=True, help_text=_("送审材料说明（可选）。"))


class StatementInput(StepInput):
    statement = serializers.CharField()
    adopted = serializers.BooleanField()


class WaiveStatementInput(StepInput):
    waived_on = serializers.DateField()


class HearingRequestInput(StepInput):
    requested_on = serializers.DateField()


class HearingScheduleInput(StepInput):
    host = AgencyOfficersField()
    notice_served_on = serializers.DateField()
    scheduled_on = serializers.DateField()
    place = serializers.CharField(max_length=256)
    public = serializers.BooleanField(required=False, default=True)


class HearingRecordInput(StepInput):
    held_on = serializers.DateField()
    record = serializers.CharField()
    signed_by_party = serializers.BooleanField()


class LegalReviewDecisionInput(StepInput):
    outcome = serializers.ChoiceField(choices=[c for c in ReviewOutcome.choices if c[0] != ReviewOutcome.PENDING])
    opinion = serializers.CharField(allow_blank=True)
    checklist = serializers.MultipleChoiceField(
        choices=[(key, label) for key, label in REVIEW_CHECKLIST],
        required=False,
        default=list,
        help_text=_("已审核通过的审核要点（同意时须全部勾选）。"),
    )
    reviewed_on = serializers.DateField(required=False)

    def workflow_kwargs(self):
        data = dict(self.validated_data)
        checked = set(data.pop("checklist", ()))
        data["checklist"] = {key: key in checked for key, _label in REVIEW_CHECKLIST}
        return data


class DeliberationInput(StepInput):
    held_on = serializers.DateField()
    participants = AgencyOfficersField(many=True)
    conclusion = serializers.CharField()
    approves_deviation = serializers.BooleanField(required=False, default=False)
    deviation_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecideInput(StepInput):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    decided_on = serializers.DateField()
    penalty_kinds = penalty_kinds(required=False, default=list)
    fine = money(required=False, allow_null=True, default=None)
    confiscation = money(required=False, allow_null=True, default=None)
    decision_text = serializers.CharField(required=False, allow_blank=True, default="")


class CasePartyField(serializers.PrimaryKeyRelatedField):
    """A party id, limited to the parties of the case in the serializer context."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Party.objects.all())  # the model, for the schema
        super().__init__(**kwargs)

    def get_queryset(self):
        case = self.context.get("case")
        return Party.objects.filter(case=case) if case is not None else Party.objects.none()


class ServeInput(StepInput):
    method = serializers.ChoiceField(choices=ServiceMethod.choices)
    served_on = serializers.DateField()
    recipient = serializers.CharField(max_length=128)
    address = serializers.CharField(max_length=256, required=False, allow_blank=True, default="")
    party = CasePartyField(required=False, allow_null=True, help_text=_("受送达的当事人（可选）。"))
    note = serializers.CharField(required=False, allow_blank=True)


class InstalmentInput(serializers.Serializer):
    due_on = serializers.DateField()
    amount = money()


class ArrangementInput(StepInput):
    kind = serializers.ChoiceField(choices=ArrangementKind.choices)
    applied_on = serializers.DateField()
    approved_on = serializers.DateField()
    final_due_on = serializers.DateField()
    instalments = InstalmentInput(many=True, required=False, default=list)
    reason = serializers.CharField()


class PaymentInput(StepInput):
    amount = money()
    paid_on = serializers.DateField()
    receipt_number = serializers.CharField(max_length=64)


class CourtApplicationInput(StepInput):
    reminder_served_on = serializers.DateField()
    applied_on = serializers.DateField()
    court = serializers.CharField(max_length=128)


class CloseInput(StepInput):
    closed_on = serializers.DateField()


class ArchiveInput(StepInput):
    archived_on = serializers.DateField()


class ReportSummaryInput(StepInput):
    reported_on = serializers.DateField()


class SeizedItemInput(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    specification = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    unit = serializers.CharField(max_length=16)
    note = serializers.CharField(max_length=256, required=False, allow_blank=True, default="")


class MeasureInput(StepInput):
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    decided_on = serializers.DateField()
    reason = serializers.CharField()
    place = serializers.CharField(max_length=256, required=False, allow_blank=True, default="")
    items = SeizedItemInput(many=True, required=False, default=list)


class ExtendMeasureInput(StepInput):
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField()
    extended_on = serializers.DateField(required=False)


class EndMeasureInput(StepInput):
    state = serializers.ChoiceField(choices=[c for c in MeasureState.choices if c[0] != MeasureState.IN_FORCE])
    ended_on = serializers.DateField()
    reason = serializers.CharField()


class RemedyInput(StepInput):
    kind = serializers.ChoiceField(choices=RemedyKind.choices)
    body = serializers.CharField(max_length=128)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    filed_on = serializers.DateField()


class RemedyOutcomeInput(StepInput):
    outcome = serializers.ChoiceField(choices=RemedyOutcome.choices)
    outcome_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentInput(StepInput):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)


class SummaryCaseInput(StepInput):
    officers = AgencyOfficersField(many=True)
    power_item = serializers.PrimaryKeyRelatedField(queryset=PowerItem.objects.all())
    party = PartyInputSerializer()
    facts = serializers.CharField()
    penalty_kinds = penalty_kinds()
    fine = money(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=256)
    decided_on = serializers.DateField()
    discretion_standard = serializers.PrimaryKeyRelatedField(
        queryset=DiscretionStandard.objects.all(), required=False, allow_null=True, default=None
    )
    title = serializers.CharField(max_length=256, required=False, allow_blank=True)
