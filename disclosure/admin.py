"""Admin for the disclosure tables. Scoped like the core admin (lawenforce.access.restrict).

Publication, correction and withdrawal go through ``disclosure.publishing`` (the ledger records
them), so the public copy is read-only here; the agency's pages are where people act on records.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lawenforce import access
from lawenforce.admin import ScopedAdminMixin

from .forms_inspections import InspectionItemForm
from .models import (
    AnnualReport,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    DisclosureAction,
    PenaltyDisclosure,
    RandomInspectionItem,
)


class DisclosureActionInline(admin.TabularInline):
    model = DisclosureAction
    extra = 0
    can_delete = False
    fields = ("at", "kind", "actor", "reason", "revision", "digest", "ledger_index")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PenaltyDisclosure)
class PenaltyDisclosureAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("decision_number", "party_name", "agency", "decided_on", "state", "publish_due_on", "published_at")
    list_filter = ("state", "exempt_reason", "party_category", "serious")
    search_fields = ("decision_number", "party_name", "party_uscc", "agency__name")
    date_hierarchy = "decided_on"
    list_select_related = ("agency",)
    raw_id_fields = ("case", "party", "power_item")
    inlines = [DisclosureActionInline]

    def get_readonly_fields(self, request, obj=None):
        # Every field: state changes and corrections are recorded in the ledger by disclosure.publishing.
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


class ComplaintAttachmentInline(admin.TabularInline):
    model = ComplaintAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields
    can_delete = False  # the complaint's record: only disclosure.complaints.services writes it

    def has_add_permission(self, request, obj=None):
        return False


class ComplaintEventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    fields = ("at", "action", "actor", "from_state", "to_state", "note", "public")
    readonly_fields = fields
    can_delete = False  # the complaint's record: only disclosure.complaints.services writes it

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("tracking_code", "kind", "title", "agency", "state", "received_at", "accept_due_on")
    list_filter = ("kind", "state", "anonymous")
    search_fields = ("tracking_code", "title", "subject_name", "agency__name")
    date_hierarchy = "received_at"
    list_select_related = ("agency",)
    raw_id_fields = ("region", "agency", "power_item", "case", "handled_by", "transferred_from")
    inlines = [ComplaintAttachmentInline, ComplaintEventInline]

    # Read-only: every change goes through disclosure.complaints.services (the pages and the API),
    # which enforces the rules, records the events and recomputes the deadlines.
    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


# --- Random-inspection items and annual reports (ex-ante disclosure, issue 5) ---------------------


class RandomInspectionItemForm(InspectionItemForm):
    """The agency-side form (disclosure.forms_inspections: same choices, same rules), for the admin."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, user=request.user, **kwargs)


@admin.register(RandomInspectionItem)
class RandomInspectionItemAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = RandomInspectionItemForm
    list_display = ("name", "method", "ratio", "frequency", "active", "updated_at")
    list_filter = ("method", "active")
    search_fields = ("name", "subjects", "agencies__name", "power_items__code")

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class ScopedForm(form_class):
            def __init__(self, *args, **kw):
                kw["request"] = request
                super().__init__(*args, **kw)

        return ScopedForm

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            writable = access.agencies_in_scope(request.user, "change")
            if obj.agencies.exclude(pk__in=writable.values("pk")).exists():
                return False  # a joint item of several agencies is kept by a common superior (admin)
        return super().has_change_permission(request, obj)


@admin.register(AnnualReport)
class AnnualReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only: reports are built by the task and published on the agency's page (ledger)."""

    list_display = ("agency", "year", "state", "due_on", "published_on", "ledger_index")
    list_filter = ("state", "year")
    search_fields = ("agency__name",)
    list_select_related = ("agency",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
