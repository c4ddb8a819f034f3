"""Complaint pages. Public: the form, the acknowledgement, the status page. Agency: the queue, the
complaint with its actions, the attachments. Views parse and call services; rules live there."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from disclosure.models import ComplaintAttachment
from evidence.sniffing import allowed_summary
from evidence.uploads import HashingUploadHandler
from lawenforce.access import get_in_scope_or_404, officer_of
from lawenforce.models import Sector
from lawenforce.views.helpers import paginate

from . import forms, services

ACK_SESSION_KEY = "complaint_ack"
# The public site's frame (its navigation marks `section`) when the disclosure site provides one.
PUBLIC_CONTEXT = {"section": "complaints"}


def _public_base():
    return select_template(["public/base.html", "base.html"])


def _public(request, template, context, status=200):
    return render(request, template, {**PUBLIC_CONTEXT, "public_base": _public_base(), **context}, status=status)


# Form fields besides the files: a bound on the request body before any of it is parsed.
FORM_OVERHEAD = 256 * 1024


class ComplaintUploadHandler(HashingUploadHandler):
    """Evidence's streaming, hashing handler with the public's smaller per-file limit."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = services.max_upload_size()
        self.message = services.too_large_message()

    def receive_data_chunk(self, raw_data, start):
        try:
            return super().receive_data_chunk(raw_data, start)
        finally:
            if self.field_name in self.refusals:
                self.refusals[self.field_name] = self.message


def _limited(request, group, rate):
    """True when this client (IP) went over `rate` for `group`; counts this request."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, method=ALL, increment=True)


def _too_many(request, what):
    context = {"what": what}
    return _public(request, "disclosure/complaints/too_many.html", context, status=429)


def _max_body():
    return services.max_files() * services.max_upload_size() + FORM_OVERHEAD


@csrf_exempt  # the upload handler must be in place before CsrfViewMiddleware reads request.POST
@require_http_methods(["GET", "POST"])
def new(request):
    handler = None
    if request.method == "POST":
        if _limited(request, "complaint-submit", settings.COMPLAINT_SUBMIT_RATE):
            return _too_many(request, _("提交投诉举报"))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > _max_body():
            return _render_form(request, forms.ComplaintForm(), status=413, too_large=True)
        handler = ComplaintUploadHandler(request)
        request.upload_handlers = [handler]
    return _new(request, handler)


def _render_form(request, form, *, status=200, too_large=False, files_dropped=False):
    context = {
        "form": form,
        "file_accept": forms.FILE_ACCEPT,
        "max_upload_size": services.max_upload_size(),
        "max_files": services.max_files(),
        "allowed_types": allowed_summary(),
        "too_large": too_large,
        "files_dropped": files_dropped,
    }
    return _public(request, "disclosure/complaints/new.html", context, status=status)


@csrf_protect
def _new(request, handler):
    if request.method != "POST":
        return _render_form(request, forms.ComplaintForm())
    form = forms.ComplaintForm(request.POST)
    uploads = request.FILES.getlist("files")
    if form.is_valid() and form.cleaned_data.get("website"):
        # The honeypot was filled in: a bot. Nothing is stored; a person never sees this field.
        form.add_error(None, _("提交未成功，请刷新页面后重新填写。"))
    for message in (handler.refusals if handler else {}).values():
        form.add_error("files", message)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("website", None)
        data.pop("files", None)
        try:
            complaint = services.submit(uploads=uploads, **data)
        except services.ComplaintError as error:
            form.add_error(error.field if error.field in form.fields else None, error.text)
        else:
            request.session[ACK_SESSION_KEY] = complaint.pk
            return redirect("public-complaints:done")
    return _render_form(request, form, status=400, files_dropped=bool(uploads) or bool(handler and handler.refusals))


@require_GET
def done(request):
    """The acknowledgement: shown once, to the browser that submitted (the code is not in the URL)."""
    # Popped: a reload (or the next person at a shared computer) does not see the code again.
    pk = request.session.pop(ACK_SESSION_KEY, None)
    complaint = services.Complaint.objects.select_related("agency").filter(pk=pk).first() if pk else None
    if complaint is None:
        return redirect("public-complaints:new")
    context = {
        "complaint": complaint,
        "code": services.display_code(complaint.tracking_code),
        "working_days": services.ACCEPT_WORKING_DAYS,
        "article": services.ARTICLE_ACCEPT,
    }
    return _public(request, "disclosure/complaints/done.html", context)


@require_http_methods(["GET", "POST"])
def track(request):
    """The status page. The code is posted (not in the URL, so not in logs or referrers)."""
    complaint = None
    not_found = False
    status = 200
    if request.method == "POST":
        if _limited(request, "complaint-track", settings.COMPLAINT_TRACK_RATE):
            return _too_many(request, _("查询办理进度"))
        form = forms.TrackForm(request.POST)
        if form.is_valid():
            complaint = services.find_by_code(form.cleaned_data["code"])
            # A malformed code and an unknown one get the same answer.
            not_found = complaint is None
        else:
            status = 400
    else:
        form = forms.TrackForm()
    context = {
        "form": form,
        "complaint": complaint,
        "not_found": not_found,
        "events": services.public_events(complaint) if complaint else [],
        "code": services.display_code(complaint.tracking_code) if complaint else "",
    }
    return _public(request, "disclosure/complaints/track.html", context, status=status)


# --- Agency side ------------------------------------------------------------------------------

QUEUE_PAGE_SIZE = 50
SHOW_CHOICES = (
    ("open", gettext_lazy("未办结")),
    ("awaiting", gettext_lazy("待受理")),
    ("overdue", gettext_lazy("已超期")),
    ("all", gettext_lazy("全部")),
)


@login_required
@require_GET
def queue(request):
    show = request.GET.get("show", "open")
    if show not in dict(SHOW_CHOICES):
        show = "open"
    today = timezone.localdate()
    page = paginate(request, services.queue(request.user, show=show, today=today), QUEUE_PAGE_SIZE)
    for complaint in page.object_list:
        complaint.days_left = services.days_left(complaint, today)
    officer = officer_of(request.user)
    context = {
        "page": page,
        "show": show,
        "show_choices": SHOW_CHOICES,
        "overdue_count": services.overdue_count(request.user, today),
        "show_agency": officer is None or officer.agency.is_supervisory,
    }
    return render(request, "disclosure/complaints/queue.html", context)


ACTION_FORMS = {
    "accept": forms.AcceptForm,
    "refuse": forms.RefuseForm,
    "transfer": forms.TransferForm,
    "lead": None,
    "close": forms.CloseForm,
    "assign": forms.AssignForm,
}
NEEDS_COMPLAINT = (forms.TransferForm, forms.AssignForm)


def _action_forms(complaint, actions, bound=None):
    result = {}
    for name, form_class in ACTION_FORMS.items():
        if not getattr(actions, name) or form_class is None:
            continue
        if bound and bound[0] == name and bound[1] is not None:
            result[name] = bound[1]  # the submitted form with its errors, nothing typed lost
            continue
        kwargs = {"complaint": complaint} if form_class in NEEDS_COMPLAINT else {}
        result[name] = form_class(prefix=name, **kwargs)
    return result


@login_required
@require_GET
def detail(request, pk):
    complaint = services.complaint_for(request.user, pk)
    return _detail(request, complaint)


def _detail(request, complaint, bound=None, status=200):
    actions = services.available_actions(complaint, request.user)
    context = {
        "complaint": complaint,
        "code": services.display_code(complaint.tracking_code),
        "days_left": services.days_left(complaint),
        "sector_label": Sector(complaint.sector).label if complaint.sector in Sector.values else complaint.sector,
        "events": complaint.events.select_related("actor"),
        "attachments": complaint.attachments.all(),
        "shows_complainant": services.shows_complainant(complaint, request.user),
        "actions": actions,
        "action_forms": _action_forms(complaint, actions, bound),
    }
    return render(request, "disclosure/complaints/detail.html", context, status=status)


@login_required
@require_POST
def act(request, pk, action):
    if action not in ACTION_FORMS:
        raise Http404
    # Only the handling agency acts; for anyone else the complaint looks absent (404).
    complaint = services.complaint_for(request.user, pk)
    allowed = services.available_actions(complaint, request.user)
    if not (services.handles(complaint, request.user) or getattr(allowed, action)):
        raise Http404(_("没有找到该记录，或您无权查看。"))
    officer = officer_of(request.user)
    form_class = ACTION_FORMS[action]
    form = None
    if form_class is not None:
        kwargs = {"complaint": complaint} if form_class in NEEDS_COMPLAINT else {}
        form = form_class(request.POST, prefix=action, **kwargs)
        if not form.is_valid():
            return _detail(request, complaint, bound=(action, form), status=400)
    data = form.cleaned_data if form else {}
    try:
        if action == "accept":
            services.accept(complaint, officer, note=data.get("note", ""))
            messages.success(request, _("已受理。"))
        elif action == "refuse":
            services.refuse(complaint, officer, reason=data["reason"])
            messages.success(request, _("已作出不予受理决定，理由将在查询页面告知投诉举报人。"))
        elif action == "transfer":
            services.transfer(complaint, officer, to_agency=data["to_agency"], reason=data["reason"])
            messages.success(request, _("已转%(agency)s办理。") % {"agency": data["to_agency"].name})
            return redirect("complaints:queue")
        elif action == "lead":
            case = services.make_lead(complaint, officer)
            messages.success(request, _("已登记为案件线索，请在案件中继续办理。"))
            return redirect("cases:detail", pk=case.pk)
        elif action == "assign":
            services.assign(complaint, request.user, to_agency=data["to_agency"], reason=data["reason"])
            messages.success(request, _("已分派至%(agency)s。") % {"agency": data["to_agency"].name})
        elif action == "close":
            services.close(complaint, officer, reply=data["reply"], internal_note=data.get("internal_note", ""))
            messages.success(request, _("已办结，答复意见将在查询页面告知投诉举报人。"))
    except services.ComplaintError as error:
        if form is not None and error.field in form.fields:
            form.add_error(error.field, error.text)
        messages.error(request, error.text)
        return _detail(request, services.complaint_for(request.user, pk), bound=(action, form), status=400)
    return redirect("complaints:detail", pk=pk)


@login_required
@require_GET
def attachment(request, pk):
    item = get_in_scope_or_404(ComplaintAttachment.objects.select_related("complaint"), request.user, pk=pk)
    if not services.shows_complainant(item.complaint, request.user):
        raise Http404(_("没有找到该记录，或您无权查看。"))
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("附件文件不存在。")) from None
    return FileResponse(handle, as_attachment=True, filename=item.download_name, content_type=item.content_type)
