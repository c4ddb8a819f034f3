"""The one way in for every change of a disclosure record: build, publish, exempt, correct, withdraw,
expire. Views, the Celery tasks, the demo command and the tests all call these functions.

Each function locks the record, checks the rule it enforces (the article is named next to the
check and in the message), writes the record, seals the public copy (RFC 8785 canonical bytes and
their digest with the ledger's hash algorithm), appends a ledger entry ("disclosure") and records a
``DisclosureAction`` carrying that entry's index. The ledger payload holds only the record's public
id, the action, the revision and the digest of the masked public copy: nothing personal.

Dates: ``publish_due_on`` (7 working days from the decision, 国办发〔2018〕118号) and
``withdraw_due_on`` (3 working days from the decision falling, 《行政处罚法》第四十八条第二款) are
kept on the record, so a late publication or withdrawal stays visible to supervision
(supervision/rules/disclosure.py reads them).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cases.errors import WorkflowError
from cases.models import Case, CaseState, DecisionKind
from lawenforce.ledger import log as ledger
from lawenforce.ledger import merkle
from lawenforce.ledger.canonical import canonical_bytes
from lawenforce.models import PenaltyKind

from . import masking, policy
from .grams import name_grams, search_terms
from .models import DisclosureAction, DisclosureActionKind, DisclosureState, ExemptReason, PenaltyDisclosure

logger = logging.getLogger(__name__)

LEDGER_KIND = "disclosure"
# A decision exists from these states on (the case may have moved on before the task ran).
DECIDED_STATES = (CaseState.DECIDED, CaseState.SERVED, CaseState.EXECUTING, CaseState.CLOSED, CaseState.ARCHIVED)
LICENCE_KINDS = (PenaltyKind.SUSPEND_LICENCE, PenaltyKind.REVOKE_LICENCE, PenaltyKind.LOWER_QUALIFICATION)
# The public copy's data items (national credit data standard for administrative penalty
# information), in the order of the standard. Only these columns ever reach the public.
PUBLIC_FIELDS = (
    "party_name",
    "party_category",
    "party_uscc",
    "legal_representative",
    "decision_number",
    "violation_type",
    "facts",
    "basis",
    "penalty_category",
    "penalty_content",
    "fine_amount",
    "confiscated_amount",
    "licence_note",
    "decided_on",
    "publish_until",
    "agency_name",
    "agency_uscc",
    "source_name",
    "source_uscc",
    "remarks",
)
# What an agency user may correct (the rest comes from the decision and the agency).
CORRECTABLE_FIELDS = (
    "party_name",
    "legal_representative",
    "violation_type",
    "facts",
    "basis",
    "penalty_category",
    "penalty_content",
    "fine_amount",
    "confiscated_amount",
    "licence_note",
    "remarks",
    "serious",
)
TEXT_FIELDS = (
    "party_name",
    "legal_representative",
    "violation_type",
    "facts",
    "basis",
    "penalty_category",
    "penalty_content",
    "licence_note",
    "remarks",
)


class DisclosureError(WorkflowError):
    """A refused disclosure change: Chinese message, the article it enforces, a stable code."""


# --- The public copy ------------------------------------------------------------------------------


def _basis(case):
    if case.power_item_id is None:
        return ""
    return "；".join(str(p) for p in case.power_item.provisions.select_related("law").order_by("law__name", "article"))


def _violation_type(case):
    standard = getattr(case, "discretion_standard", None)
    if standard is not None and standard.violation:
        return standard.violation
    title = case.title.strip()
    title = title.removeprefix("涉嫌")
    return title.removesuffix("案") or title


def _penalty_content(case):
    parts = []
    for kind in case.penalty_kinds or []:
        if kind == PenaltyKind.FINE and case.fine_amount is not None:
            parts.append(_("罚款%(f)s元") % {"f": f"{case.fine_amount:,.2f}"})
        elif kind in (PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY) and case.confiscated_amount:
            parts.append(f"{PenaltyKind(kind).label}{case.confiscated_amount:,.2f}元")
        else:
            parts.append(str(PenaltyKind(kind).label))
    return "；".join(dict.fromkeys(parts))


def copy_from_case(case, party, parties):
    """The masked public columns of ``party``'s record of ``case`` (never a live case value that is
    personal: every free text goes through ``masking.scrub`` with all the case's parties)."""
    kinds = [k for k in (case.penalty_kinds or []) if k != PenaltyKind.NONE]
    agency = case.agency
    text = case.decision_text.strip()
    content = _penalty_content(case)
    return {
        **masking.public_party(party, name_by_law=policy.name_by_law(case)),
        "decision_number": case.decision_number,
        "violation_type": masking.scrub(_violation_type(case), parties)[:256],
        "facts": masking.scrub(case.facts, parties),
        "basis": _basis(case),
        "penalty_category": "、".join(str(PenaltyKind(k).label) for k in kinds)[:256],
        # The decision's own words when the head wrote them, else the kinds and amounts.
        "penalty_content": masking.scrub(text or content, parties),
        "fine_amount": case.fine_amount if PenaltyKind.FINE in kinds else None,
        "confiscated_amount": case.confiscated_amount,
        "licence_note": "、".join(str(PenaltyKind(k).label) for k in kinds if k in LICENCE_KINDS),
        "agency_name": agency.name,
        "agency_uscc": agency.uscc,
        "source_name": agency.name,
        "source_uscc": agency.uscc,
    }


def public_copy(disclosure):
    """The dict that is published (and sealed): the data items, the record's public id and revision."""
    data = {name: getattr(disclosure, name) for name in PUBLIC_FIELDS}
    data["party_category"] = str(data["party_category"] or "")
    data["public_id"] = disclosure.public_id
    data["revision"] = disclosure.revision
    return data


def seal(disclosure, algorithm=None):
    """Store the canonical bytes of the public copy and their digest (the ledger's algorithm), and
    the search columns. The bulk generator (``volume``) calls it too, with the algorithm given."""
    body = canonical_bytes(public_copy(disclosure))
    algorithm = algorithm or ledger.algorithm()
    disclosure.public_json = body.decode("utf-8")
    disclosure.digest = merkle.hash_function(algorithm)(body).hex()
    disclosure.digest_algorithm = algorithm
    disclosure.name_grams = name_grams(disclosure.party_name)
    disclosure.search_terms = search_terms(disclosure.party_name, disclosure.region_path)


def _record(disclosure, kind, *, actor=None, reason="", previous_json=""):
    """Ledger entry, then the action carrying its index (appended last: the ledger lock is short)."""
    entry = ledger.append(
        LEDGER_KIND,
        {
            "public_id": disclosure.public_id,
            "action": kind,
            "state": disclosure.state,
            "revision": disclosure.revision,
            "digest": disclosure.digest,
            "digest_algorithm": disclosure.digest_algorithm,
        },
        obj=disclosure,
    )
    # A plain UPDATE: the index is bookkeeping, not a change of the record (no history row).
    disclosure.ledger_index = entry.index
    PenaltyDisclosure.objects.filter(pk=disclosure.pk).update(ledger_index=entry.index)
    return DisclosureAction.objects.create(
        disclosure=disclosure,
        kind=kind,
        actor=actor,
        reason=reason,
        revision=disclosure.revision,
        digest=disclosure.digest,
        previous_json=previous_json,
        ledger_index=entry.index,
    )


def _locked(disclosure):
    return PenaltyDisclosure.objects.select_for_update().get(pk=disclosure.pk)


def _require_state(disclosure, *states, what):
    if disclosure.state not in states:
        raise DisclosureError(
            _("该公示记录当前状态为“%(state)s”，不能%(what)s。")
            % {"state": disclosure.get_state_display(), "what": what},
            code="disclosure_state",
        )


def _require_reason(reason, what, article=""):
    reason = (reason or "").strip()
    if not reason:
        raise DisclosureError(
            _("请写明%(what)s的理由。") % {"what": what}, code="reason_required", article=article, field="reason"
        )
    return reason


# --- Build and publish --------------------------------------------------------------------------


def build_for_case(case_id, *, actor=None, publish=None):
    """One record per party of a decided case (idempotent); published at once when AUTO_PUBLISH.

    Returns the case's records. A case that is not (or no longer) decided gets none."""
    publish = policy.setting("AUTO_PUBLISH") if publish is None else publish
    # The public copy is sealed in the site's language, whatever language the request that
    # triggered the build (an eager task after an English user's decision) had active.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("agency__region", "power_item", "discretion_standard")
            .filter(pk=case_id)
            .first()
        )
        if case is None or case.state not in DECIDED_STATES or not case.decision_kind or not case.decided_on:
            return []
        parties = list(case.parties.all())
        existing = {d.party_id: d for d in PenaltyDisclosure.objects.filter(case=case)}
        for party in parties or [None]:
            party_id = party.pk if party else None
            if party_id in existing:
                continue
            existing[party_id] = _build(case, party, parties, actor)
    records = list(existing.values())
    if publish:
        for record in records:
            if record.state == DisclosureState.PENDING:
                publish_record(record, actor=actor)
    return PenaltyDisclosure.objects.filter(case_id=case_id).order_by("pk")


def _build(case, party, parties, actor):
    record = PenaltyDisclosure(
        case=case,
        party=party,
        agency=case.agency,
        power_item=case.power_item,
        region_path=case.agency.region.path,
        decided_on=case.decided_on,
        # 国办发〔2018〕118号: published within 7 working days of the decision.
        publish_due_on=policy.publish_due_on(case.decided_on),
        publish_until=policy.publish_until(case.decided_on),
        **copy_from_case(case, party, parties),
    )
    exempt = policy.exemption(case, party)
    if exempt:
        record.state = DisclosureState.EXEMPT
        record.exempt_reason, record.exempt_note = exempt
    seal(record)
    record._change_reason = str(_("生成公示记录"))
    record.save()
    _record(record, DisclosureActionKind.BUILD, actor=actor)
    if exempt:
        _record(record, DisclosureActionKind.EXEMPT, actor=actor, reason=record.exempt_note)
    return record


@transaction.atomic
def publish_record(disclosure, *, actor=None, now=None):
    """pending → published. A late publication (after publish_due_on) is kept as it happened."""
    record = _locked(disclosure)
    _require_state(record, DisclosureState.PENDING, what=pgettext("disclosure verb", "公示"))
    if record.case.decision_kind != DecisionKind.PENALTY:
        raise DisclosureError(
            _("该案件不是行政处罚决定，不能公示。"), code="not_a_penalty", article="《行政处罚法》第四十八条"
        )
    record.state = DisclosureState.PUBLISHED
    record.published_at = now or timezone.now()
    seal(record)
    record._change_reason = str(_("公示"))
    record.save()
    _record(record, DisclosureActionKind.PUBLISH, actor=actor)
    disclosure.refresh_from_db()
    return record


@transaction.atomic
def exempt_record(disclosure, *, actor, reason, note):
    """pending → exempt, with the reason the rules give (legal-rules.md: minors, protected matters,
    warnings, low fines, not a penalty)."""
    record = _locked(disclosure)
    _require_state(record, DisclosureState.PENDING, what=pgettext("disclosure verb", "决定不予公示"))
    if reason not in ExemptReason.values:
        raise DisclosureError(_("请选择不予公示的理由。"), code="exempt_reason", field="exempt_reason")
    note = _require_reason(note, pgettext("disclosure noun", "不予公示"), article=policy.APL_50)
    record.state = DisclosureState.EXEMPT
    record.exempt_reason = reason
    record.exempt_note = masking.scrub(note, record.case.parties.all())
    record._change_reason = str(_("不予公示"))
    record.save()
    _record(record, DisclosureActionKind.EXEMPT, actor=actor, reason=record.exempt_note)
    disclosure.refresh_from_db()
    return record


# --- Correction, withdrawal, expiry ---------------------------------------------------------------


@transaction.atomic
def correct_record(disclosure, *, actor, reason, changes):
    """Correct the public copy: revision + 1, the previous copy kept in the action, a new digest and
    ledger entry. A text that brings back an ID number, a phone number or a natural person's
    details is refused (《行政处罚法》第五十条), so the user can fix it without losing the rest."""
    record = _locked(disclosure)
    _require_state(record, DisclosureState.PENDING, DisclosureState.PUBLISHED, what=pgettext("disclosure verb", "更正"))
    reason = _require_reason(reason, pgettext("disclosure noun", "更正"))
    parties = list(record.case.parties.all())
    for name in TEXT_FIELDS:
        if name not in changes:
            continue
        found = masking.leaks(changes[name], parties)
        # A legal person's name and representative are public; a natural person's name is checked.
        if name in ("party_name", "legal_representative") and record.party_category == "legal_person":
            found = [f for f in found if f != _("自然人姓名")]
        if found:
            raise DisclosureError(
                _("更正内容含有%(what)s，自然人的身份证号码、住址、电话等个人信息不得公开，请删去后再提交。")
                % {"what": "、".join(found)},
                code="personal_data",
                article=policy.APL_50,
                field=name,
            )
    previous = record.public_json
    changed = False
    for name, value in changes.items():
        if name not in CORRECTABLE_FIELDS:
            raise ValueError(f"{name} cannot be corrected")
        if isinstance(value, str):
            value = value.strip()
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    if not changed:
        raise DisclosureError(_("没有修改任何公示内容，无需更正。"), code="nothing_changed")
    if "serious" in changes:
        record.publish_until = policy.publish_until(record.decided_on, serious=record.serious)
    record.revision += 1
    record.corrected_at = timezone.now()
    seal(record)
    record._change_reason = str(_("更正"))
    record.save()
    _record(record, DisclosureActionKind.CORRECT, actor=actor, reason=reason, previous_json=previous)
    disclosure.refresh_from_db()
    return record


@transaction.atomic
def withdraw_record(disclosure, *, actor=None, reason, fell_on=None, now=None):
    """published → withdrawn, with reasons, within 3 working days of ``fell_on`` (the
    day the decision was revoked, changed, confirmed unlawful or void: 《行政处罚法》第四十八条第二款)."""
    record = _locked(disclosure)
    # Only what was published can be withdrawn (supervision reads a withdrawn record as published
    # first); a pending record whose decision fell is exempt instead (withdraw_overturned).
    _require_state(record, DisclosureState.PUBLISHED, what=pgettext("disclosure verb", "撤下"))
    reason = _require_reason(reason, pgettext("disclosure noun", "撤下"), article=policy.APL_48_2)
    now = now or timezone.now()
    if fell_on and fell_on > timezone.localdate(now):
        raise DisclosureError(
            _("%(what)s不能晚于今天，请核对日期。") % {"what": _("原决定被撤销、变更或确认违法的日期")},
            code="fell_on_future",
            field="fell_on",
        )
    record.state = DisclosureState.WITHDRAWN
    record.withdrawn_at = now
    # 《行政处罚法》第四十八条第二款: withdrawn within 3 working days of the decision falling.
    record.withdraw_due_on = policy.withdraw_due_on(fell_on or timezone.localdate(now))
    record.withdraw_reason = masking.scrub(reason, record.case.parties.all())
    record._change_reason = str(_("撤下"))
    record.save()
    _record(record, DisclosureActionKind.WITHDRAW, actor=actor, reason=record.withdraw_reason)
    disclosure.refresh_from_db()
    return record


def withdraw_overturned(case_id, remedy_id):
    """A case whose decision a remedy overturned: its published records are withdrawn, its pending
    ones exempt (not a penalty decision any more)."""
    from cases.models import Remedy

    remedy = Remedy.objects.filter(pk=remedy_id, case_id=case_id, overturned=True).first()
    if remedy is None:
        return []
    with translation.override(settings.LANGUAGE_CODE):  # shown on the public page, as build_for_case
        reason = _("%(body)s于%(day)s作出%(kind)s结果“%(outcome)s”，原处罚决定不再有效，依照%(a)s撤下。") % {
            "body": remedy.body,
            "day": f"{remedy.outcome_on:%Y-%m-%d}",
            "kind": remedy.get_kind_display(),
            "outcome": remedy.get_outcome_display(),
            "a": policy.APL_48_2,
        }
    done = []
    for record in PenaltyDisclosure.objects.filter(
        case_id=case_id, state__in=[DisclosureState.PENDING, DisclosureState.PUBLISHED]
    ):
        if record.state == DisclosureState.PENDING:
            # Never published: it is not to be published any more (the decision no longer stands).
            done.append(exempt_record(record, actor=None, reason=ExemptReason.NOT_A_PENALTY, note=reason))
        else:
            done.append(withdraw_record(record, reason=reason, fell_on=remedy.outcome_on))
    return done


def expire_due(today=None):
    """Published records past their publication period → expired (they leave public search and stay
    in the agency's archive). Returns how many expired."""
    today = today or timezone.localdate()
    count = 0
    due = PenaltyDisclosure.objects.filter(state=DisclosureState.PUBLISHED, publish_until__lt=today)
    for pk in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            record = PenaltyDisclosure.objects.select_for_update().get(pk=pk)
            if record.state != DisclosureState.PUBLISHED or not record.publish_until or record.publish_until >= today:
                continue
            record.state = DisclosureState.EXPIRED
            record.expired_at = timezone.now()
            record._change_reason = str(_("公示期满停止公示"))
            record.save()
            _record(
                record,
                DisclosureActionKind.EXPIRE,
                reason=_("公示期至%(d)s届满（%(a)s）。")
                % {"d": f"{record.publish_until:%Y-%m-%d}", "a": policy.CREDIT_RULES},
            )
            count += 1
    return count
