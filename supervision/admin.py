"""Admin for supervision data. Alerts and evaluations are read and worked in the supervision
pages; the admin is where an administrator maintains rubrics, rule settings and schemes."""

from django.contrib import admin

from lawenforce.admin import ScopedAdminMixin
from supervision.models import Alert, AlertEntry, DossierEvaluation, EvaluationSample, ItemScore, Rubric, RubricItem


class AlertEntryInline(admin.TabularInline):
    model = AlertEntry
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "kind", "from_state", "to_state", "text")


@admin.register(Alert)
class AlertAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("rule", "title", "case", "agency", "severity", "state", "raised_at")
    list_filter = ("state", "severity", "rule")
    search_fields = ("rule", "title", "case__number", "case__decision_number", "agency__name")
    list_select_related = ("case", "agency")
    raw_id_fields = ("case", "agency", "resolved_by")
    readonly_fields = ("rule", "case", "agency", "raised_at", "facts", "title", "article", "message", "last_seen_at")
    inlines = [AlertEntryInline]


class RubricItemInline(admin.TabularInline):
    model = RubricItem
    extra = 1
    fields = ("order", "section", "title", "guidance", "max_points", "auto_rules", "veto")


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ("name", "pass_score", "is_default", "active")
    list_filter = ("active", "is_default")
    inlines = [RubricItemInline]


class ItemScoreInline(admin.TabularInline):
    model = ItemScore
    extra = 0
    raw_id_fields = ("item",)


@admin.register(DossierEvaluation)
class DossierEvaluationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("case", "agency", "sample", "evaluator", "total_score", "passed", "finalized_at")
    list_filter = ("passed", "sample")
    list_select_related = ("case", "agency", "sample", "evaluator")
    raw_id_fields = ("case", "agency", "evaluator", "sample")
    inlines = [ItemScoreInline]


@admin.register(EvaluationSample)
class EvaluationSampleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "bureau", "period_start", "period_end", "per_agency", "population_size", "state")
    list_filter = ("state",)
    raw_id_fields = ("bureau", "created_by")
    filter_horizontal = ("agencies",)
    readonly_fields = ("seed", "population", "population_size", "population_digest", "created_at")


# ---------------------------------------------------------------- settings, notices, schemes
from django import forms  # noqa: E402

from supervision.models import (  # noqa: E402
    NoticeReply,
    PerformanceScheme,
    RuleSetting,
    SchemeItem,
    SupervisionNotice,
    SupervisionSettings,
)
from supervision.rules import CATALOGUE  # noqa: E402


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "due_soon_days", "backfill_days", "notice_response_days", "updated_at")

    def has_add_permission(self, request):
        return not SupervisionSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class RuleSettingForm(forms.ModelForm):
    rule = forms.ChoiceField(choices=[(code, f"{code} {rule.title}") for code, rule in CATALOGUE.items()])

    class Meta:
        model = RuleSetting
        fields = ("rule", "enabled", "severity")


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    form = RuleSettingForm
    list_display = ("rule", "enabled", "severity")
    list_editable = ("enabled", "severity")


class NoticeReplyInline(admin.TabularInline):
    model = NoticeReply
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "author", "at", "text", "late")


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "kind", "agency", "issued_on", "response_due_on", "state", "answered_late")
    list_filter = ("kind", "state", "answered_late")
    search_fields = ("number", "subject", "agency__name")
    raw_id_fields = ("bureau", "issued_by", "agency", "cases", "alerts", "evaluations")
    readonly_fields = ("number", "sha256", "file", "first_answered_at", "answered_late", "closed_at")
    inlines = [NoticeReplyInline]


class SchemeItemForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        from supervision.services.performance import indicator_choices

        super().__init__(*args, **kwargs)
        self.fields["indicator"] = forms.ChoiceField(choices=indicator_choices(), label=self.fields["indicator"].label)

    class Meta:
        model = SchemeItem
        fields = ("order", "indicator", "label", "points", "method", "per_unit")


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    form = SchemeItemForm
    extra = 1


@admin.register(PerformanceScheme)
class PerformanceSchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    inlines = [SchemeItemInline]
