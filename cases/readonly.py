"""An archived case is read-only (归档后案卷不得更改).

Once `archive_case` has stored the state `archived`, every save or delete of the case, of any row
that belongs to it (parties, step records, payments, measures and their items, documents, evidence
items…) and every change of its many-to-many links (handlers, deliberation participants) is
refused with `WorkflowError(code="case_archived")`. The check reads the *stored* state, so the
archiving step itself (closed → archived, in one save) and the dossier it builds still go through.

What stays writable:
- the logs in `APPEND_ONLY` take new rows (the timeline records the refused attempt and exports;
  the evidence access trail records who looked at archived evidence), but no change or deletion;
- the django-simple-history tables (they only follow saves that were allowed);
- reconsideration and litigation records (`LATER_RECORDS`) are added and completed, never deleted;
- a `Document` of kind "dossier" may be added (the archive's own dossier, when the lead gives it a
  DocumentKind).

Guarded: every model of the apps in `GUARDED_APPS` that reaches `cases.Case` through at most two
foreign keys; `connect()` finds them when the app registry is ready (CasesConfig.ready), so a
model the evidence app adds later is guarded without changes here.

Not guarded (Django sends no signal): `QuerySet.update()`, `bulk_create`, `bulk_update` and raw
SQL. The workflow and the documents code use these only on rows whose save was checked first.

Recording the refusal: the refused transaction rolls back, so the refusal cannot be written inside
it. Callers (the views, the API) record it from their WorkflowError handler, after the rollback:

    except WorkflowError as error:
        readonly.record_refusal(error, actor)        # no-op unless error.rule_code == "case_archived"

`record_refused_attempt(case, actor, what)` is the same for a caller that knows the case.
"""

import logging

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.errors import WorkflowError

logger = logging.getLogger(__name__)

GUARDED_APPS = ("cases", "evidence")
MESSAGE = _("案件已归档，不能再修改。如确需更正，请依法定程序办理。")
REFUSED_ACTION = _("拒绝修改已归档案件")
CODE = "case_archived"
DOSSIER_KIND = "dossier"  # DocumentKind.DOSSIER once the lead adds it
_UID = "cases.readonly"
# Logs that record what happens to the case, archived or not: new rows only.
APPEND_ONLY = {"cases.CaseEvent", "evidence.EvidenceAccess"}
# Records that arrive after archiving and are not part of the dossier: reconsideration and
# litigation (cases/models/remedies.py). They may be added and completed, never deleted.
LATER_RECORDS = {"cases.Remedy"}

# model → the chain of foreign keys from it to Case ([] for Case itself); filled by connect().
_chains = {}


class CaseArchived(WorkflowError):
    """The refusal, with the case it concerns and what was attempted (for the timeline)."""

    def __init__(self, case_id, attempt):
        self.case_id = case_id
        self.attempt = attempt
        super().__init__(gettext(MESSAGE), code=CODE)


# ---------------------------------------------------------------- which models, and the path to the case


def _case_model():
    return apps.get_model("cases", "Case")


def _is_history(model):
    from simple_history.models import HistoricalChanges

    return issubclass(model, HistoricalChanges)


def _chain_to_case(model, case_model, depth=2):
    """The foreign keys from `model` to Case, shortest first (Party: [case]; SeizedItem: [measure, case])."""
    if model is case_model:
        return []
    fks = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for field in fks:
        if field.related_model is case_model:
            return [field]
    if depth > 1:
        for field in fks:
            if field.related_model is model or field.related_model is None:
                continue
            rest = _chain_to_case(field.related_model, case_model, depth - 1)
            if rest:
                return [field, *rest]
    return None


def guarded_models():
    """{model: fk chain} of every model whose rows belong to a case."""
    case_model = _case_model()
    found = {}
    for label in GUARDED_APPS:
        if not apps.is_installed(label):
            continue
        for model in apps.get_app_config(label).get_models():
            if _is_history(model) or model._meta.proxy:
                continue
            chain = _chain_to_case(model, case_model)
            if chain is not None:
                found[model] = chain
    return found


def _path(chain):
    return "__".join(f.name for f in chain) or "pk"


# ---------------------------------------------------------------- the checks


def _archived_case_id(model, chain, instance=None, pks=()):
    """The id of an archived case that `instance` (as it is about to be saved, and as it is stored)
    or the stored rows `pks` of `model` belong to; None when there is none. One query."""
    from cases.models import CaseState

    case_model = _case_model()
    condition = None
    if instance is not None and chain:
        first = chain[0]
        value = getattr(instance, first.attname)
        if value is not None:
            if len(chain) == 1:
                condition = models.Q(pk=value)
            else:
                parents = first.related_model._base_manager.filter(pk=value).values(_path(chain[1:]))
                condition = models.Q(pk__in=parents)
    stored = list(pks)
    if instance is not None and instance.pk is not None and not instance._state.adding:
        stored.append(instance.pk)
    if stored:
        of_stored = models.Q(pk__in=model._base_manager.filter(pk__in=stored).values(_path(chain)))
        condition = of_stored if condition is None else condition | of_stored
    if condition is None:
        return None
    return case_model._base_manager.filter(condition, state=CaseState.ARCHIVED).values_list("pk", flat=True).first()


def _describe(instance, verb):
    meta = instance._meta
    name = str(instance) if instance.pk is not None else ""
    what = f"{verb}{meta.verbose_name}"
    return f"{what}（{name}）" if name and name != str(meta.verbose_name) else what


def _exempt(model, instance, adding):
    label = model._meta.label
    if label in APPEND_ONLY:
        return adding
    if label in LATER_RECORDS:
        return True
    if label == "cases.Document":
        return adding and getattr(instance, "kind", None) == DOSSIER_KIND
    return False


def _guard_save(sender, instance, raw=False, **kwargs):
    chain = _chains.get(sender)
    if chain is None or raw:  # raw: loaddata of fixtures
        return
    adding = instance._state.adding or instance.pk is None
    if _exempt(sender, instance, adding):
        return
    case_id = _archived_case_id(sender, chain, instance=instance)
    if case_id is not None:
        raise CaseArchived(case_id, _describe(instance, gettext("新增") if adding else gettext("修改")))


def _guard_delete(sender, instance, **kwargs):
    chain = _chains.get(sender)
    if chain is None:
        return
    case_id = _archived_case_id(sender, chain, pks=[instance.pk])
    if case_id is not None:
        raise CaseArchived(case_id, _describe(instance, gettext("删除")))


def _guard_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    owner_model, field = _m2m_owners[sender]
    if not reverse:
        pks = [instance.pk]
    elif pk_set is not None:
        pks = list(pk_set)
    else:
        pks = owner_model._base_manager.filter(**{field.name: instance.pk}).values_list("pk", flat=True)
    if not pks:
        return
    case_id = _archived_case_id(owner_model, _chains[owner_model], pks=pks)
    if case_id is not None:
        raise CaseArchived(case_id, gettext("修改%(what)s") % {"what": field.verbose_name})


_m2m_owners = {}  # through model → (the model that owns the field, the field)


def connect():
    """Connect the guards; called from CasesConfig.ready(). Idempotent."""
    _chains.clear()
    _chains.update(guarded_models())
    for model in _chains:
        pre_save.connect(_guard_save, sender=model, dispatch_uid=f"{_UID}.save.{model._meta.label}")
        pre_delete.connect(_guard_delete, sender=model, dispatch_uid=f"{_UID}.delete.{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            _m2m_owners[through] = (model, field)
            m2m_changed.connect(_guard_m2m, sender=through, dispatch_uid=f"{_UID}.m2m.{through._meta.label}")


# ---------------------------------------------------------------- recording the refusal


def is_archived(case):
    """Whether the case's *stored* state is archived (what the guards check)."""
    from cases.models import CaseState

    return _case_model()._base_manager.filter(pk=case.pk, state=CaseState.ARCHIVED).exists()


def record_refused_attempt(case, actor, what):
    """Write "拒绝修改已归档案件" on the case's timeline, in its own transaction.

    Call it after the refused transaction has rolled back (from the WorkflowError handler, outside
    any `atomic` block the refusal broke). `case` is a Case or its id; `what` says what was
    attempted ("修改当事人（济宁某某公司）")."""
    from cases.models import CaseEvent

    case_id = getattr(case, "pk", case)
    logger.warning("Refused change of archived case %s by %s: %s", case_id, getattr(actor, "pk", None), what)
    with transaction.atomic():
        return CaseEvent.objects.create(
            case_id=case_id, actor=actor, action=str(REFUSED_ACTION), summary=str(what or "")
        )


def record_refusal(error, actor, what=""):
    """From a WorkflowError handler: record the refusal when `error` is the archived-case refusal
    (`rule_code == "case_archived"`), do nothing otherwise. Returns the CaseEvent or None."""
    if getattr(error, "rule_code", None) != CODE or getattr(error, "case_id", None) is None:
        return None
    return record_refused_attempt(error.case_id, actor, what or getattr(error, "attempt", ""))
