"""The case API: read what is in scope, and take every workflow step through `cases.workflow`.

Each step endpoint parses its input with the step's serializer (cases.api.serializers), finds the
case in the user's scope (404 outside it, 403 for read-only users and users without an officer
record), calls the workflow function with the requesting officer as actor and answers with the
case as it now stands. A refused step is 400 with the workflow's code and Chinese message.
"""

from django.contrib.auth import authenticate
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from cases.models import (
    Case,
    CaseEvent,
    CaseState,
    CoerciveMeasure,
    Document,
    LegalReview,
    Party,
    Remedy,
    ReviewOutcome,
)
from lawenforce.access import get_in_scope_or_404, officer_of, restrict

from . import serializers as s
from .base import ScopedMixin, workflow_function

ERRORS = {
    400: OpenApiResponse(s.RefusalSerializer, description=_("办理被拒绝：规则代码与中文提示（与网页端相同）。")),
    403: OpenApiResponse(description=_("只能查阅、不能办理，或账号没有关联在岗执法人员。")),
    404: OpenApiResponse(description=_("没有找到该案件，或不在您的数据范围内。")),
}


def case_detail_queryset():
    return Case.objects.select_related(
        "agency",
        "power_item",
        "registered_by",
        "decided_by",
        "prior_notice",
        "hearing",
        "court_application",
    ).prefetch_related(
        Prefetch("parties", queryset=Party.objects.order_by("pk")),
        "handlers",
        "extensions",
        "legal_reviews",
        "deliberations__participants",
        "services__receipt_checkpoint",  # each served decision's receipt is built against it
        "payments",
        "arrangements",
        "measures__items",
        "remedies",
        "documents",
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
    )


# Which endpoint takes which step, by the workflow function's name (also the `name` of an
# available action): available_actions carry the URL to POST to.
STEP_PATHS = {}


def case_step(name, url_path, function, input_serializer, summary, *, status_code=status.HTTP_200_OK):
    """One POST endpoint on a case that calls `cases.workflow.<function>(case, actor, **input)`."""
    STEP_PATHS[function] = url_path

    def handler(self, request, pk=None):
        case, actor = self.in_scope_for_change(Case.objects.select_related("agency"), pk=pk)
        data = self.step_input(input_serializer, case.agency, case=case)
        workflow_function(function)(case, actor, **data)
        return self.case_response(case.pk, status_code)

    handler.__name__ = name
    handler.__doc__ = summary
    # @action first, then @extend_schema (the order of the decorators above a method).
    handler = action(detail=True, methods=["post"], url_path=url_path, serializer_class=input_serializer)(handler)
    return extend_schema(
        request=input_serializer,
        responses={status_code: s.CaseDetailSerializer, **ERRORS},
        summary=summary,
        operation_id=f"cases_{name}",
    )(handler)


class CaseContextMixin(ScopedMixin):
    def step_input(self, serializer_class, agency, **context):
        serializer = serializer_class(
            data=self.request.data, context={"request": self.request, "agency": agency, **context}
        )
        serializer.is_valid(raise_exception=True)
        return serializer.workflow_kwargs()

    def detail_context(self, case):
        officer = officer_of(self.request.user)
        full_identity = officer is not None and officer.agency_id == case.agency_id and not officer.is_supervisor
        return {
            "request": self.request,
            "full_identity": full_identity,
            "deadlines": deadlines_of(case),
            "actions": self.actions_of(case, officer),
        }

    def actions_of(self, case, officer):
        if officer is None:
            return []
        try:
            from cases.workflow import available_actions
        except ImportError:
            return []
        result = []
        for act in available_actions(case, officer):
            path = STEP_PATHS.get(act.name)
            url = None
            if path and "(?P" not in path:
                url = reverse("api:case-detail", kwargs={"pk": case.pk}, request=self.request) + path + "/"
            elif act.name == "give_legal_review":
                pending = [r for r in case.legal_reviews.all() if r.outcome == ReviewOutcome.PENDING]
                if pending:
                    url = reverse("api:review-decision", kwargs={"pk": pending[-1].pk}, request=self.request)
            result.append(
                {
                    "name": act.name,
                    "label": str(act.label),
                    "allowed": bool(act.allowed),
                    "reasons": [str(r) for r in act.reasons],
                    "url": url,
                }
            )
        return result

    def case_response(self, pk, status_code=status.HTTP_200_OK):
        case = case_detail_queryset().get(pk=pk)
        data = s.CaseDetailSerializer(case, context=self.detail_context(case)).data
        headers = {"Location": data["url"]} if status_code == status.HTTP_201_CREATED else None
        return Response(data, status=status_code, headers=headers)


def deadlines_of(case):
    try:
        from cases.deadlines import case_deadlines
    except ImportError:
        return []
    return list(case_deadlines(case))


@extend_schema(tags=["cases"])
class CaseViewSet(CaseContextMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Cases in the user's data scope (lawenforce.access.restrict) and every step on them."""

    queryset = Case.objects.all()
    serializer_class = s.CaseListSerializer

    def get_queryset(self):
        return restrict(
            Case.objects.select_related("agency", "power_item").prefetch_related(
                Prefetch("parties", queryset=Party.objects.order_by("pk"))
            ),
            self.request.user,
            "view",
        )

    def filter_queryset(self, queryset):
        params = self.request.query_params
        if state := params.get("state"):
            if state not in CaseState.values:
                raise exceptions.ValidationError({"state": [_("未知的案件状态：%(s)s。") % {"s": state}]})
            queryset = queryset.filter(state=state)
        if power_item := params.get("power_item"):
            if not power_item.isdigit():
                raise exceptions.ValidationError({"power_item": [_("请填写权责事项的编号（整数）。")]})
            queryset = queryset.filter(power_item_id=int(power_item))
        if q := params.get("q", "").strip():
            party_match = Party.objects.filter(case=OuterRef("pk"), name__icontains=q)
            queryset = queryset.filter(
                Q(number__icontains=q) | Q(title__icontains=q) | Q(decision_number__icontains=q) | Exists(party_match)
            )
        return queryset

    @extend_schema(
        summary=_("案件列表"),
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=CaseState.values, description=_("案件状态")),
            OpenApiParameter("power_item", OpenApiTypes.INT, description=_("权责事项编号")),
            OpenApiParameter("q", OpenApiTypes.STR, description=_("案号、案由、决定书文号或当事人名称")),
        ],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=_("案件详情"), responses={200: s.CaseDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request, pk=None):
        case = get_in_scope_or_404(case_detail_queryset(), request.user, "view", pk=pk)
        return Response(s.CaseDetailSerializer(case, context=self.detail_context(case)).data)

    @extend_schema(
        summary=_("登记案件线索（含当事人）"),
        request=s.RegisterLeadInput,
        responses={201: s.CaseDetailSerializer, **ERRORS},
    )
    def create(self, request):
        actor = self.acting_officer()
        if not restrict(type(actor.agency)._default_manager.filter(pk=actor.agency_id), request.user, "add").exists():
            raise exceptions.PermissionDenied(_("您可以查阅案件，但无权登记案件。"))
        data = self.step_input(s.RegisterLeadInput, actor.agency)
        case = workflow_function("register_lead")(agency=actor.agency, actor=actor, **data)
        return self.case_response(case.pk, status.HTTP_201_CREATED)

    add_party = case_step("add_party", "parties", "add_party", s.AddPartyInput, _("补充当事人"))
    approve_filing = case_step(
        "approve_filing", "approve-filing", "approve_filing", s.ApproveFilingInput, _("立案审批")
    )
    decline_filing = case_step(
        "decline_filing", "decline-filing", "decline_filing", s.DeclineFilingInput, _("不予立案")
    )
    extend = case_step("extend", "extensions", "extend_decision_period", s.ExtensionInput, _("延长办案期限"))
    complete_investigation = case_step(
        "complete_investigation",
        "complete-investigation",
        "complete_investigation",
        s.CompleteInvestigationInput,
        _("调查终结，提出处理意见"),
    )
    prior_notice = case_step("prior_notice", "prior-notice", "give_prior_notice", s.PriorNoticeInput, _("事先告知"))
    statement = case_step("statement", "statement", "record_statement", s.StatementInput, _("记录陈述申辩"))
    waive_statement = case_step(
        "waive_statement", "waive-statement", "waive_statement", s.WaiveStatementInput, _("当事人放弃陈述申辩")
    )
    hearing_request = case_step(
        "hearing_request", "hearing-request", "request_hearing", s.HearingRequestInput, _("当事人申请听证")
    )
    hearing_schedule = case_step(
        "hearing_schedule", "hearing-schedule", "schedule_hearing", s.HearingScheduleInput, _("安排听证")
    )
    hearing_record = case_step(
        "hearing_record", "hearing-record", "record_hearing", s.HearingRecordInput, _("记录听证")
    )
    proceed = case_step("proceed", "proceed", "proceed_to_decision", s.MaterialsInput, _("提交审核或决定"))
    resubmit_review = case_step(
        "resubmit_review", "resubmit-review", "resubmit_after_return", s.MaterialsInput, _("补充后重新提交法制审核")
    )
    deliberation = case_step(
        "deliberation", "deliberation", "record_deliberation", s.DeliberationInput, _("记录集体讨论")
    )
    decide = case_step("decide", "decide", "decide", s.DecideInput, _("作出决定"))
    serve = case_step("serve", "serve", "serve_decision", s.ServeInput, _("送达决定书"))
    arrangement = case_step(
        "arrangement", "arrangement", "approve_payment_arrangement", s.ArrangementInput, _("批准延期（分期）缴纳")
    )
    payments = case_step("payments", "payments", "record_payment", s.PaymentInput, _("登记缴款"))
    court_application = case_step(
        "court_application", "court-application", "apply_to_court", s.CourtApplicationInput, _("申请法院强制执行")
    )
    close = case_step("close", "close", "close_case", s.CloseInput, _("结案"))
    archive = case_step("archive", "archive", "archive_case", s.ArchiveInput, _("归档"))
    report = case_step("report", "report", "report_summary_case", s.ReportSummaryInput, _("简易程序案件报所属机关备案"))
    measures = case_step("measures", "measures", "impose_measure", s.MeasureInput, _("采取查封、扣押措施"))
    remedies = case_step(
        "remedies",
        "remedies",
        "record_remedy",
        s.RemedyInput,
        _("登记行政复议或行政诉讼"),
        status_code=status.HTTP_201_CREATED,
    )

    @extend_schema(
        request=s.RemedyOutcomeInput,
        responses={200: s.CaseDetailSerializer, **ERRORS},
        summary=_("登记行政复议或行政诉讼的结果"),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"remedies/(?P<remedy_id>[0-9]+)/outcome",
        serializer_class=s.RemedyOutcomeInput,
    )
    def remedy_outcome(self, request, pk=None, remedy_id=None):
        case, actor = self.in_scope_for_change(Case.objects.select_related("agency"), pk=pk)
        remedy = Remedy.objects.filter(case=case, pk=remedy_id).first()
        if remedy is None:
            raise exceptions.NotFound(_("没有找到该行政复议或行政诉讼记录。"))
        data = self.step_input(s.RemedyOutcomeInput, case.agency, case=case)
        workflow_function("record_remedy_outcome")(remedy, actor, **data)
        return self.case_response(case.pk)

    @extend_schema(
        request=s.ExtendMeasureInput, responses={200: s.CaseDetailSerializer, **ERRORS}, summary=_("延长查封、扣押期限")
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"measures/(?P<measure_id>[0-9]+)/extend",
        serializer_class=s.ExtendMeasureInput,
    )
    def extend_measure(self, request, pk=None, measure_id=None):
        return self._measure_step(pk, measure_id, "extend_measure", s.ExtendMeasureInput)

    @extend_schema(
        request=s.EndMeasureInput,
        responses={200: s.CaseDetailSerializer, **ERRORS},
        summary=_("解除查封、扣押或依法处理"),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"measures/(?P<measure_id>[0-9]+)/end",
        serializer_class=s.EndMeasureInput,
    )
    def end_measure(self, request, pk=None, measure_id=None):
        return self._measure_step(pk, measure_id, "end_measure", s.EndMeasureInput)

    def _measure_step(self, pk, measure_id, function, input_serializer):
        case, actor = self.in_scope_for_change(Case.objects.select_related("agency"), pk=pk)
        measure = CoerciveMeasure.objects.filter(case=case, pk=measure_id).first()
        if measure is None:
            raise exceptions.NotFound(_("没有找到该查封、扣押措施。"))
        data = self.step_input(input_serializer, case.agency, case=case)
        workflow_function(function)(measure, actor, **data)
        return self.case_response(case.pk)

    @extend_schema(
        request=s.DocumentInput,
        responses={201: s.DocumentSerializer, **ERRORS},
        summary=_("生成执法文书（PDF）"),
    )
    @action(detail=True, methods=["post"], url_path="documents", serializer_class=s.DocumentInput)
    def documents(self, request, pk=None):
        from cases.documents import generate

        case, actor = self.in_scope_for_change(Case.objects.select_related("agency"), pk=pk)
        data = self.step_input(s.DocumentInput, case.agency, case=case)
        document = generate(case, data["kind"], actor)
        return Response(
            s.DocumentSerializer(document, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


STEP_PATHS["extend_measure"] = r"measures/(?P<measure_id>[0-9]+)/extend"
STEP_PATHS["end_measure"] = r"measures/(?P<measure_id>[0-9]+)/end"
STEP_PATHS["record_remedy_outcome"] = r"remedies/(?P<remedy_id>[0-9]+)/outcome"


@extend_schema(tags=["cases"])
class SummaryCaseViewSet(CaseContextMixin, viewsets.GenericViewSet):
    """A summary-procedure case decided on the spot (当场处罚, 《行政处罚法》第五十一条)."""

    serializer_class = s.SummaryCaseInput
    queryset = Case.objects.none()

    @extend_schema(
        summary=_("当场作出行政处罚决定（简易程序）"),
        request=s.SummaryCaseInput,
        responses={201: s.CaseDetailSerializer, **ERRORS},
    )
    def create(self, request):
        actor = self.acting_officer()
        if not restrict(type(actor.agency)._default_manager.filter(pk=actor.agency_id), request.user, "add").exists():
            raise exceptions.PermissionDenied(_("您可以查阅案件，但无权办理案件。"))
        data = self.step_input(s.SummaryCaseInput, actor.agency)
        case = workflow_function("decide_on_the_spot")(agency=actor.agency, actor=actor, **data)
        return self.case_response(case.pk, status.HTTP_201_CREATED)


@extend_schema(tags=["reviews"])
class ReviewViewSet(CaseContextMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The legal-review queue (法制审核, 《行政处罚法》第五十八条): rounds still waiting by default."""

    serializer_class = s.ReviewQueueSerializer
    queryset = LegalReview.objects.all()

    def get_queryset(self):
        queryset = restrict(
            LegalReview.objects.select_related("case", "submitted_by"), self.request.user, "view"
        ).order_by("submitted_at", "pk")
        outcome = self.request.query_params.get("outcome", ReviewOutcome.PENDING)
        if outcome != "all":
            if outcome not in ReviewOutcome.values:
                raise exceptions.ValidationError({"outcome": [_("未知的审核结论：%(s)s。") % {"s": outcome}]})
            queryset = queryset.filter(outcome=outcome)
        return queryset

    @extend_schema(
        summary=_("法制审核待办"),
        parameters=[
            OpenApiParameter(
                "outcome",
                OpenApiTypes.STR,
                enum=[*ReviewOutcome.values, "all"],
                description=_("审核结论，默认 pending（待审核）；all 为全部"),
            )
        ],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.LegalReviewDecisionInput,
        responses={200: s.CaseDetailSerializer, **ERRORS},
        summary=_("作出法制审核意见"),
    )
    @action(detail=True, methods=["post"], url_path="decision", serializer_class=s.LegalReviewDecisionInput)
    def decision(self, request, pk=None):
        review, actor = self.in_scope_for_change(LegalReview.objects.select_related("case__agency"), pk=pk)
        data = self.step_input(s.LegalReviewDecisionInput, review.case.agency, case=review.case)
        workflow_function("give_legal_review")(review, actor, **data)
        return self.case_response(review.case_id)


@extend_schema(tags=["documents"])
class DocumentViewSet(ScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DocumentSerializer
    queryset = Document.objects.all()

    def get_queryset(self):
        return restrict(Document.objects.all(), self.request.user, "view")

    @extend_schema(summary=_("下载执法文书 PDF"), responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request, pk=None):
        document = get_in_scope_or_404(Document.objects.all(), request.user, "view", pk=pk)
        response = FileResponse(document.file.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="document-{document.pk}.pdf"'
        response["X-Content-SHA256"] = document.sha256
        return response


class TokenView(ScopedMixin, APIView):
    """Username and password for a token (mobile terminals). django-axes counts the failures and
    locks the account-and-client pair like the login page does."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = s.TokenRequestSerializer

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={200: s.TokenSerializer, 400: OpenApiResponse(description=_("用户名或密码不正确。"))},
        summary=_("获取访问令牌"),
        tags=["auth"],
    )
    def post(self, request):
        form = s.TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=form.validated_data["username"], password=form.validated_data["password"]
        )
        if user is None:
            if getattr(request._request, "axes_locked_out", False):
                raise exceptions.PermissionDenied(_("登录失败次数过多，账号已被暂时锁定，请稍后再试或联系系统管理员。"))
            raise exceptions.ValidationError({"non_field_errors": [_("用户名或密码不正确。")]})
        token, _created = Token.objects.get_or_create(user=user)
        officer = officer_of(user)
        return Response({"token": token.key, "officer": s.OfficerBriefSerializer(officer).data if officer else None})
