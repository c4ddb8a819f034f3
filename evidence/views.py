"""Evidence pages: the upload form (phone camera included), the item page, the file itself.

Every look at an item is recorded in EvidenceAccess: opening the item page ("view"), fetching the
file for the page's image or player ("stream"), and downloading it ("download").
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from lawenforce.models import LedgerEntry

from . import services, uploads
from .forms import CAMERA_ACCEPT, FILE_ACCEPT, EvidenceForm
from .models import AccessAction
from .streaming import serve_file


@csrf_exempt  # the upload handler must be in place before CsrfViewMiddleware reads request.POST
@login_required
def upload(request, case_pk):
    handler = uploads.install(request) if request.method == "POST" else None
    return _upload(request, case_pk, handler)


@csrf_protect
def _upload(request, case_pk, handler):
    case, officer = services.case_for_upload(request.user, case_pk)
    archived = case.state == services.ARCHIVED
    status = 200
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES, case=case, officer=officer)
        for field, message in (handler.refusals if handler else {}).items():
            form.add_error("file" if field == "file" else None, message)
        files = request.FILES.getlist("file")
        if len(files) > 1:
            form.add_error("file", _("一次只能上传一个文件。"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.add_evidence(
                    case,
                    officer,
                    files[0] if files else None,
                    kind=data["kind"],
                    title=data["title"],
                    proves=data["proves"],
                    collected_at=data["collected_at"],
                    collected_place=data["collected_place"],
                    collected_by=data["collected_by"],
                    note=data["note"],
                )
            except services.EvidenceError as error:
                form.add_error(error.field, error.text)
            else:
                messages.success(
                    request,
                    _("证据已上传：%(title)s（SHA-256 %(digest)s…）。")
                    % {"title": item.title, "digest": item.sha256[:12]},
                )
                return redirect("evidence:detail", pk=item.pk)
        status = 400
    else:
        form = EvidenceForm(case=case, officer=officer)
    context = {
        "case": case,
        "form": form,
        "archived": archived,
        "camera_accept": CAMERA_ACCEPT,
        "file_accept": FILE_ACCEPT,
        "max_upload_size": uploads.max_upload_size(),
        "allowed_types": services.allowed_summary(),
    }
    return render(request, "evidence/upload.html", context, status=status)


@login_required
@require_GET
def detail(request, pk):
    item = services.item_for_view(request.user, pk)
    services.record_access(request, item, AccessAction.VIEW)
    accesses = list(item.accesses.select_related("officer", "user")[:50])
    # The acknowledgement an officer (or the party) can keep: the ledger entry and its receipt.
    ledger_index = (
        LedgerEntry.objects.filter(kind="evidence", object_label=item._meta.label_lower, object_pk=str(item.pk))
        .order_by("-index")
        .values_list("index", flat=True)
        .first()
    )
    context = {
        "item": item,
        "case": item.case,
        "ledger_index": ledger_index,
        "accesses": accesses,
        "can_upload": services.can_upload(request.user, item.case),
    }
    return render(request, "evidence/detail.html", context)


@login_required
@require_GET
def file(request, pk):
    item = services.item_for_view(request.user, pk)
    download = request.GET.get("download") == "1"
    try:
        response, sent = serve_file(request, item, as_attachment=download)
    except FileNotFoundError:
        raise Http404(_("证据文件不存在。")) from None
    if response.status_code != 416:
        services.record_access(request, item, AccessAction.DOWNLOAD if download else AccessAction.STREAM, sent)
    return response
