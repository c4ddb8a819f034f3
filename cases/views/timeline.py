"""The case's timeline (办案过程记录): every CaseEvent and every recorded change of the case and its
step records, merged by time, in words a supervisor who is not a lawyer can read: who, when,
which step, which fields changed from what to what, and the reason given."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import models
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseState,
    CoerciveMeasure,
    CourtApplication,
    Deliberation,
    Extension,
    Hearing,
    LegalReview,
    Party,
    Payment,
    PaymentArrangement,
    PriorNotice,
    SeizedItem,
    Service,
)
from cases.timeline import extra_entries
from lawenforce.access import get_in_scope_or_404
from lawenforce.models import Officer, PenaltyKind

from .common import mask_id

# Bookkeeping fields nobody needs to read about.
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "case", "ledger_salt"}
MASKED_FIELDS = {"id_number"}
LONG_TEXT = 120

# The case's step records, with how to find their history rows for one case.
STEP_MODELS = [
    Party,
    Extension,
    PriorNotice,
    Hearing,
    LegalReview,
    Deliberation,
    Service,
    Payment,
    PaymentArrangement,
    CourtApplication,
    CoerciveMeasure,
]


class Names:
    """Display names of related rows, looked up in bulk: {model: {pk: name}}."""

    def __init__(self):
        self.wanted = defaultdict(set)
        self.names = {}

    def want(self, model, pk):
        if pk is not None:
            self.wanted[model].add(pk)

    def load(self):
        for model, pks in self.wanted.items():
            if model is Officer:
                self.names[model] = dict(Officer.objects.filter(pk__in=pks).values_list("pk", "name"))
            else:
                self.names[model] = {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=pks)}

    def get(self, model, pk):
        return self.names.get(model, {}).get(pk, f"#{pk}")


def tracked_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS]


def m2m_snapshots(history_model, field_name, history_ids):
    """{history_id: frozenset(officer ids)} for an m2m field kept by simple-history."""
    m2m_model = getattr(history_model, field_name).model
    snapshots = defaultdict(set)
    for history_id, officer_id in m2m_model.objects.filter(history_id__in=history_ids).values_list(
        "history_id", "officer_id"
    ):
        snapshots[history_id].add(officer_id)
    return {hid: frozenset(snapshots.get(hid, ())) for hid in history_ids}


def format_value(field, value, names):
    empty = _("（空）")
    if value is None or value == "" or value == []:
        return empty
    if field is None:  # m2m snapshot of officers
        return "、".join(sorted(names.get(Officer, pk) for pk in value)) or empty
    if field.name in MASKED_FIELDS:
        return mask_id(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(field, models.ForeignKey):
        return names.get(field.related_model, value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, list):
        labels = dict(PenaltyKind.choices)
        return "、".join(str(labels.get(v, v)) if isinstance(v, str) else str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{v}" for k, v in value.items())
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def _history_rows(model, case):
    history = model.history.model
    if model is SeizedItem:
        return history.objects.filter(measure_id__in=CoerciveMeasure.history.filter(case_id=case.pk).values("id"))
    if model is Case:
        return history.objects.filter(id=case.pk)
    return history.objects.filter(case_id=case.pk)


def history_entries(model, case, names, users):
    """One entry per history row of `model` for this case, with the fields that changed."""
    rows = list(_history_rows(model, case).order_by("id", "history_date", "history_id"))
    fields = tracked_fields(model)
    m2m = [f.name for f in getattr(model.history.model, "_history_m2m_fields", [])]
    snapshots = {name: m2m_snapshots(model.history.model, name, [r.history_id for r in rows]) for name in m2m}
    for row in rows:
        users.add(row.history_user_id)
        for field in fields:
            if isinstance(field, models.ForeignKey):
                names.want(field.related_model, getattr(row, field.attname))
        for name in m2m:
            for pk in snapshots[name][row.history_id]:
                names.want(Officer, pk)
    entries = []
    previous = {}
    for row in rows:
        before = previous.get(row.id)
        changes = []
        for field in fields:
            new = getattr(row, field.attname)
            old = getattr(before, field.attname) if before is not None else None
            if before is None and new in (None, "", [], False) and not isinstance(field, models.BooleanField):
                continue
            if before is None and isinstance(field, models.BooleanField) and not new:
                continue
            if before is not None and old == new:
                continue
            changes.append((field, old, new, before is None))
        for name in m2m:
            new = snapshots[name][row.history_id]
            old = snapshots[name][before.history_id] if before is not None else frozenset()
            if new != old:
                changes.append((model._meta.get_field(name), old, new, before is None))
        previous[row.id] = row
        if row.history_type == "~" and not changes and not row.history_change_reason:
            continue
        entries.append({"row": row, "model": model, "changes": changes})
    return entries


def _object_label(model, row):
    name = model._meta.verbose_name
    if model is Case:
        return str(name)
    label = {
        Party: lambda r: r.name,
        Payment: lambda r: f"¥{r.amount:,.2f}",
        SeizedItem: lambda r: r.name,
        CoerciveMeasure: lambda r: r.number,
        PriorNotice: lambda r: r.number,
    }.get(model, lambda r: "")(row)
    return f"{name} {label}".strip()


VERBS = {"+": _("新建"), "~": _("修改"), "-": _("删除")}


def build_timeline(case):
    names = Names()
    users = set()
    raw = []
    for model in [Case, *STEP_MODELS, SeizedItem]:
        raw.extend(history_entries(model, case, names, users))
    events = list(case.events.select_related("actor").order_by("at", "pk"))
    names.load()
    users.discard(None)
    officers_by_user = dict(Officer.objects.filter(user_id__in=users).values_list("user_id", "name"))
    usernames = dict(get_user_model().objects.filter(pk__in=users).values_list("pk", "username"))
    entries = []
    for event in events:
        states = ""
        if event.from_state or event.to_state:
            states = _("%(from)s → %(to)s") % {
                "from": CaseState(event.from_state).label if event.from_state else _("（无）"),
                "to": CaseState(event.to_state).label if event.to_state else _("（无）"),
            }
        entries.append(
            {
                "kind": "event",
                "at": event.at,
                "who": event.actor.name if event.actor else _("系统"),
                "step": event.action,
                "states": states,
                "summary": event.summary,
                "changes": [],
            }
        )
    for item in raw:
        row, model = item["row"], item["model"]
        verb = VERBS.get(row.history_type, "")
        who = officers_by_user.get(row.history_user_id) or usernames.get(row.history_user_id) or _("系统")
        changes = [
            {
                "field": str(field.verbose_name),
                "old": None if created else format_value(None if field.many_to_many else field, old, names),
                "new": format_value(None if field.many_to_many else field, new, names),
            }
            for field, old, new, created in item["changes"]
        ]
        entries.append(
            {
                "kind": "change",
                "at": row.history_date,
                "who": who,
                "step": f"{verb}{_object_label(model, row)}",
                "reason": row.history_change_reason or "",
                "changes": changes,
            }
        )
    # Entries of other apps (supervision's alerts, notices, evaluations): cases/timeline.py.
    entries.extend(extra_entries(case))
    entries.sort(key=lambda e: (e["at"], 0 if e["kind"] == "event" else 1))
    return entries


@login_required
def case_timeline(request, pk):
    case = get_in_scope_or_404(Case.objects.select_related("agency"), request.user, pk=pk)
    return render(request, "cases/timeline.html", {"case": case, "entries": build_timeline(case)})
