"""Agency-side maintenance of the random-inspection item list (随机抽查事项清单).

Officers see their agency's items (supervisors their region's), read-only; the agency head
creates and edits them (write scope of lawenforce.access; an item shared with an agency outside
the head's scope is read-only for them). The public list (/public/inspections/) reads the same
rows as soon as they are saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lawenforce.access import agencies_in_scope, get_in_scope_or_404, officer_of, restrict

from .forms_inspections import InspectionItemForm
from .models import RandomInspectionItem


def may_edit(user):
    """Agency heads (and the system administrator) maintain their agency's list."""
    if user.is_superuser:
        return True
    officer = officer_of(user)
    return bool(officer and officer.is_agency_head and agencies_in_scope(user, "change").exists())


def _editable(item, user):
    if not may_edit(user):
        return False
    writable = agencies_in_scope(user, "change").values("pk")
    return not item.agencies.exclude(pk__in=writable).exists()


@login_required
@require_GET
def item_list(request):
    items = (
        restrict(RandomInspectionItem.objects.all(), request.user)
        .distinct()
        .prefetch_related("agencies", "power_items")
        .order_by("-active", "name", "pk")
    )
    return render(request, "disclosure/inspection_items.html", {"items": items, "may_edit": may_edit(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk=None):
    if not may_edit(request.user):
        raise Http404(_("没有找到该记录，或您无权查看。"))
    item = None
    if pk is not None:
        item = get_in_scope_or_404(RandomInspectionItem.objects.all().distinct(), request.user, "change", pk=pk)
        if not _editable(item, request.user):
            raise Http404(_("没有找到该记录，或您无权查看。"))
    form = InspectionItemForm(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, _("已保存，公示页面即时更新。"))
        return redirect("disclosure-inspections:list")
    return render(request, "disclosure/inspection_item_form.html", {"form": form, "item": item})
