"""The agency's disclosure records (公示管理, /disclosure/): the list with deadlines and late flags,
one record with its actions, and the changes an agency makes (publish now, exempt, correct,
withdraw). Scope through lawenforce.access: an officer sees and acts on their own agency's records;
a supervisor reads their region's; anything else is 404. The changes go through
disclosure.publishing; a refusal re-renders the page with the message and the input kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.views.common import add_workflow_error
from lawenforce.access import Role, can, get_in_scope_or_404, officer_of, restrict, roles_of
from lawenforce.views.helpers import paginate, query_without_page, today

from . import publishing
from .agency_forms import CorrectionForm, ExemptForm, RecordFilterForm, WithdrawForm
from .models import DisclosureState, PenaltyDisclosure

PAGE_SIZE = 30


def _filter(records, form):
    if not (form.is_bound and form.is_valid()):
        return records
    data = form.cleaned_data
    if data["state"]:
        records = records.filter(state=data["state"])
    if data["timing"] == RecordFilterForm.LATE:
        records = records.filter(
            Q(state=DisclosureState.PENDING, publish_due_on__lt=today()) | Q(published_at__date__gt=F("publish_due_on"))
        )
    elif data["timing"] == RecordFilterForm.PENDING_DUE:
        records = records.filter(state=DisclosureState.PENDING)
    if data["q"]:
        q = data["q"].strip()
        records = records.filter(Q(decision_number__icontains=q) | Q(party_name__icontains=q))
    if data["decided_from"]:
        records = records.filter(decided_on__gte=data["decided_from"])
    if data["decided_to"]:
        records = records.filter(decided_on__lte=data["decided_to"])
    return records


@login_required
def record_list(request):
    user = request.user
    form = RecordFilterForm(request.GET or None)
    records = restrict(PenaltyDisclosure.objects.all(), user).select_related("agency")
    records = _filter(records, form).order_by("-decided_on", "-pk")
    page = paginate(request, records, PAGE_SIZE)
    supervising = Role.SUPERVISOR in roles_of(user)
    return render(
        request,
        "disclosure/agency/list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "supervising": supervising,
            "show_agency": supervising or user.is_superuser,
        },
    )


def _detail(request, record, **forms):
    can_act = can(request.user, "change", record)
    context = {
        "record": record,
        "actions": record.actions.select_related("actor"),
        "can_act": can_act,
        "public_fields": [
            (PenaltyDisclosure._meta.get_field(n).verbose_name, getattr(record, n))
            for n in publishing.PUBLIC_FIELDS
            if n not in ("party_category",)
        ],
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "exempt_form": forms.get("exempt_form") or ExemptForm(),
        "supervising": Role.SUPERVISOR in roles_of(request.user),
        "today": today(),
    }
    return render(request, "disclosure/agency/detail.html", context, status=400 if forms else 200)


def _readable(request, pk):
    qs = PenaltyDisclosure.objects.select_related("agency")
    return get_in_scope_or_404(qs, request.user, "view", pk=pk)


def _writable(request, pk):
    return get_in_scope_or_404(PenaltyDisclosure.objects.all(), request.user, "change", pk=pk)


@login_required
def record_detail(request, pk):
    return _detail(request, _readable(request, pk))


@login_required
@require_POST
def record_publish(request, pk):
    record = _writable(request, pk)
    try:
        publishing.publish_record(record, actor=officer_of(request.user))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已公示。"))
    return redirect("disclosure_records:detail", pk=record.pk)


@login_required
@require_POST
def record_exempt(request, pk):
    record = _writable(request, pk)
    form = ExemptForm(request.POST)
    if form.is_valid():
        try:
            publishing.exempt_record(
                record,
                actor=officer_of(request.user),
                reason=form.cleaned_data["exempt_reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_workflow_error(form, error)
        else:
            messages.success(request, _("已决定不予公示。"))
            return redirect("disclosure_records:detail", pk=record.pk)
    return _detail(request, _readable(request, pk), exempt_form=form)


@login_required
@require_POST
def record_withdraw(request, pk):
    record = _writable(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            publishing.withdraw_record(
                record,
                actor=officer_of(request.user),
                reason=form.cleaned_data["reason"],
                fell_on=form.cleaned_data["fell_on"],
            )
        except ValidationError as error:
            add_workflow_error(form, error)
        else:
            messages.success(request, _("已撤下，公众查询页将显示撤下说明。"))
            return redirect("disclosure_records:detail", pk=record.pk)
    return _detail(request, _readable(request, pk), withdraw_form=form)


@login_required
def record_correct(request, pk):
    record = _writable(request, pk)
    form = CorrectionForm(request.POST or None, instance=PenaltyDisclosure.objects.get(pk=record.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                publishing.correct_record(
                    record, actor=officer_of(request.user), reason=form.cleaned_data["reason"], changes=form.changes()
                )
            except ValidationError as error:
                add_workflow_error(form, error)
            else:
                messages.success(request, _("已更正，公示内容版本已更新。"))
                return redirect("disclosure_records:detail", pk=record.pk)
        status = 400
    return render(request, "disclosure/agency/correct.html", {"record": record, "form": form}, status=status)
