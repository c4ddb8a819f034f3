"""Performance evaluation pages: runs of a scheme, one run with the breakdown, the Excel export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lawenforce.access import get_in_scope_or_404, restrict
from lawenforce.views.helpers import paginate
from supervision.forms import PeriodForm
from supervision.models import PerformanceEvaluation, PerformanceScheme
from supervision.services import performance as service

from .common import show_error, supervisor_required


@supervisor_required
def performance_list(request):
    form = PeriodForm(request.POST or None, schemes=PerformanceScheme.objects.filter(active=True))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = service.evaluate(request.user, data["scheme"], data["period_start"], data["period_end"])
        except ValidationError as error:
            show_error(form, error)
        else:
            messages.success(request, _("考核评价已完成。"))
            return redirect("supervision:performance", pk=run.pk)
    runs = restrict(PerformanceEvaluation.objects.all(), request.user).select_related("scheme", "bureau", "created_by")
    return render(
        request,
        "supervision/performance_list.html",
        {"form": form, "page": paginate(request, runs, 30), "indicators": service.INDICATORS},
        status=400 if request.method == "POST" else 200,
    )


@supervisor_required
def performance_detail(request, pk):
    run = get_in_scope_or_404(
        PerformanceEvaluation.objects.select_related("scheme", "bureau", "created_by"), request.user, pk=pk
    )
    scores = run.scores.select_related("agency").order_by("rank", "agency__name")
    return render(request, "supervision/performance_detail.html", {"run": run, "scores": scores})


@supervisor_required
def performance_export(request, pk):
    run = get_in_scope_or_404(PerformanceEvaluation.objects.select_related("scheme"), request.user, pk=pk)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="performance-{run.pk}.xlsx"'
    service.workbook(run).save(response)
    return response
