"""Supervision notices: the list, issuing one from cases or alerts, the notice with its PDF and
its answers, answering (the agency) and reviewing the answer (the supervisor)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Case
from lawenforce.access import get_in_scope_or_404, restrict
from lawenforce.views.helpers import paginate
from supervision.forms import NoticeForm, TextForm
from supervision.models import Alert, NoticeState, SupervisionNotice, SupervisionSettings
from supervision.services import notices as service

from .common import is_supervisor, show_error, staff_required, supervisor_required


@staff_required
def notice_list(request):
    notices = restrict(SupervisionNotice.objects.all(), request.user)
    state = request.GET.get("state", "")
    counts = dict(notices.order_by().values_list("state").annotate(n=Count("pk")))
    if state in NoticeState.values:
        notices = notices.filter(state=state)
    elif state == "overdue":
        notices = notices.filter(first_answered_at__isnull=True, response_due_on__lt=timezone.localdate())
    page = paginate(request, notices.select_related("agency", "bureau").order_by("-issued_on", "-pk"), 30)
    today = timezone.localdate()
    for notice in page:
        notice.overdue = service.is_overdue(notice, today)
    return render(
        request,
        "supervision/notice_list.html",
        {
            "page": page,
            "query": f"state={state}" if state else "",
            "state": state,
            "counts": [(s, counts.get(s.value, 0)) for s in NoticeState],
            "supervising": is_supervisor(request.user),
        },
    )


def _ids(value):
    return [int(x) for x in (value or "").split(",") if x.strip().isdigit()]


@supervisor_required
def notice_new(request):
    case_ids = _ids(request.POST.get("cases") or request.GET.get("cases"))
    alert_ids = _ids(request.POST.get("alerts") or request.GET.get("alerts"))
    cases = list(restrict(Case.objects.filter(pk__in=case_ids), request.user).select_related("agency"))
    alerts = list(restrict(Alert.objects.filter(pk__in=alert_ids), request.user).select_related("case", "agency"))
    settings = SupervisionSettings.current()
    initial = {
        "issued_on": timezone.localdate(),
        "response_days": settings.notice_response_days,
        "cases": ",".join(str(c.pk) for c in cases),
        "alerts": ",".join(str(a.pk) for a in alerts),
    }
    if alerts and not request.POST:
        initial["subject"] = "、".join(dict.fromkeys(str(a.title) for a in alerts))
        initial["findings"] = "\n".join(f"{a.case.reference or a.case.title}：{a.title}（{a.article}）" for a in alerts)
        initial["requirements"] = _("请对上述问题逐案核查，依法纠正，并完善相关制度，防止类似问题再次发生。")
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = service.issue(
                request.user,
                kind=data["kind"],
                subject=data["subject"],
                findings=data["findings"],
                requirements=data["requirements"],
                issued_on=data["issued_on"],
                response_days=data["response_days"],
                cases=cases,
                alerts=alerts,
            )
        except ValidationError as error:
            show_error(form, error)
        else:
            messages.success(request, _("已签发 %(number)s。") % {"number": notice.number})
            return redirect("supervision:notice", pk=notice.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "supervision/notice_new.html", {"form": form, "cases": cases, "alerts": alerts}, status=status
    )


def _detail(request, notice, form, status=200):
    today = timezone.localdate()
    context = {
        "notice": notice,
        "cases": notice.cases.all(),
        "alerts": notice.alerts.all(),
        "replies": notice.replies.select_related("author"),
        "overdue": service.is_overdue(notice, today),
        "can_answer": service.is_addressee(request.user, notice)
        and notice.state in (NoticeState.ISSUED, NoticeState.RETURNED),
        "can_review": service.is_issuer_side(request.user, notice) and notice.state == NoticeState.ANSWERED,
        "form": form,
    }
    return render(request, "supervision/notice_detail.html", context, status=status)


@staff_required
def notice_detail(request, pk):
    notice = get_in_scope_or_404(
        SupervisionNotice.objects.select_related("agency", "bureau", "issued_by"), request.user, pk=pk
    )
    return _detail(request, notice, TextForm())


@staff_required
def notice_pdf(request, pk):
    notice = get_in_scope_or_404(SupervisionNotice.objects.all(), request.user, pk=pk)
    try:
        handle = notice.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("文书文件不存在。")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{notice.get_kind_display()}-{notice.number}.pdf",
        content_type="application/pdf",
    )


@staff_required
@require_POST
def notice_action(request, pk, action):
    notice = get_in_scope_or_404(
        SupervisionNotice.objects.select_related("agency", "bureau", "issued_by"), request.user, pk=pk
    )
    form = TextForm(request.POST)
    form.is_valid()
    text = form.cleaned_data.get("text", "")
    try:
        if action == "answer":
            service.answer(notice, request.user, text)
        elif action in ("accept", "return"):
            service.review(notice, request.user, accept=action == "accept", text=text)
        else:
            raise Http404
    except ValidationError as error:
        show_error(form, error)
        return _detail(request, notice, form, status=400)
    messages.success(request, _("已保存。"))
    return redirect("supervision:notice", pk=notice.pk)
