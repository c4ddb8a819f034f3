"""Django admin for the core vocabulary.

The admin is for system administrators, but a staff account given model permissions
(e.g. a city's data clerk) only ever sees its own scope: every admin queryset goes
through lawenforce.access.restrict, like the views.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from lawenforce import access
from lawenforce.models import (
    Agency,
    CalendarDay,
    CalendarYear,
    Certificate,
    DiscretionStandard,
    EnforcementCategory,
    Law,
    LegalProvision,
    Officer,
    PowerItem,
    Region,
)

admin.site.site_header = _("行政执法综合管理平台 · 管理后台")
admin.site.site_title = _("管理后台")
admin.site.index_title = _("基础数据管理")


class ScopedAdminMixin:
    """Restrict the admin changelist and object lookups to the user's data scope."""

    def get_queryset(self, request):
        return access.restrict(super().get_queryset(request), request.user, "view")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)
    list_select_related = ("parent",)


@admin.register(EnforcementCategory)
class EnforcementCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, GuardedModelAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "short_name", "uscc", "region", "kind", "sector", "status")
    list_filter = ("kind", "sector", "status", "region__level")
    search_fields = ("name", "short_name", "uscc", "region__name")
    autocomplete_fields = ("region", "entrusting_agency")
    list_select_related = ("region",)


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0
    fields = ("number", "categories", "issuer", "valid_from", "valid_to", "status")


@admin.register(Officer)
class OfficerAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "agency", "user", "is_agency_head", "is_legal_reviewer", "is_supervisor", "active")
    list_filter = ("is_agency_head", "is_legal_reviewer", "is_supervisor", "active", "agency__sector")
    search_fields = ("name", "agency__name", "user__username", "certificates__number")
    autocomplete_fields = ("agency", "user")
    list_select_related = ("agency", "user")
    inlines = [CertificateInline]


@admin.register(Certificate)
class CertificateAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("number", "officer", "valid_from", "valid_to", "status")
    list_filter = ("status", "categories")
    search_fields = ("number", "officer__name", "officer__agency__name")
    autocomplete_fields = ("officer",)
    filter_horizontal = ("categories",)
    list_select_related = ("officer__agency",)


@admin.register(Law)
class LawAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "issuer", "effective_from", "version_note")
    list_filter = ("level",)
    search_fields = ("name",)


@admin.register(LegalProvision)
class LegalProvisionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "law", "article", "paragraph", "item")
    list_filter = ("law",)
    search_fields = ("law__name", "text")
    autocomplete_fields = ("law",)
    list_select_related = ("law",)


class DiscretionStandardInline(admin.StackedInline):
    model = DiscretionStandard
    extra = 0


@admin.register(PowerItem)
class PowerItemAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "action_category", "enforcement_category", "active")
    list_filter = ("action_category", "enforcement_category", "active")
    search_fields = ("code", "name", "provisions__law__name")
    autocomplete_fields = ("enforcement_category", "agencies", "provisions")
    list_select_related = ("enforcement_category",)
    inlines = [DiscretionStandardInline]


@admin.register(DiscretionStandard)
class DiscretionStandardAdmin(admin.ModelAdmin):
    list_display = ("power_item", "violation", "circumstance", "fine_basis", "fine_min", "fine_max", "statutory_max")
    list_filter = ("circumstance", "fine_basis")
    search_fields = ("violation", "power_item__code", "power_item__name")
    autocomplete_fields = ("power_item",)
    list_select_related = ("power_item",)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "notice")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)
