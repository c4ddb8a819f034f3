"""The rules of the ordinary procedure: one small named check per rule, each citing its article.

A check raises `WorkflowError` with a Chinese message saying what is wrong and what to do; a
predicate (`hearing_right`, `needs_legal_review`, `needs_deliberation`) answers a question.
The numbers come from `cases.rules.config`. Checks read what is already loaded where they can
(`.all()` on relations), so `available_actions` can run them on a prefetched case.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import PERSON_KINDS, REVIEW_CHECKLIST, ReviewOutcome
from cases.rules import config
from cases.rules.config import apl
from lawenforce import calendar
from lawenforce.models import CertificateStatus, FineBasis, PenaltyKind
from lawenforce.models.catalogue import validate_penalty_kinds

__all__ = [
    "age_on",
    "check_decision_extension",
    "check_deliberation_participants",
    "check_discretion",
    "check_handlers",
    "check_hearing_host",
    "check_hearing_notice",
    "check_hearing_request_in_time",
    "check_limitation",
    "check_minor",
    "check_penalty_kinds",
    "check_power_item_held",
    "check_review_approved",
    "check_review_checklist",
    "check_reviewer",
    "check_statement_period_over",
    "hearing_right",
    "hearing_threshold",
    "limitation_ends_on",
    "needs_deliberation",
    "needs_legal_review",
    "penalty_gives_hearing_right",
    "period_end",
]


def _money(value):
    return f"{Decimal(value):,.2f}"


def related_or_none(obj, name):
    """A reverse one-to-one (case.prior_notice, case.hearing) or None, without raising."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def period_end(start, period):
    """The last day of `period` counted from `start` (start not counted); a WorkflowError when the
    holiday arrangement of the year is not known yet, since a guessed deadline is worse than none."""
    try:
        if period.working:
            return calendar.add_working_days(start, period.days)
        return calendar.add_days(start, period.days)
    except calendar.UnknownCalendarYear as exc:
        raise WorkflowError(str(exc), code="calendar_unknown", article=apl(85)) from None


# --- Filing -------------------------------------------------------------------------------------


def check_power_item_held(agency, power_item):
    """APL 38: a penalty without a lawful subject and basis is void: the agency must hold the item."""
    article = apl(38)
    if power_item is None:
        raise WorkflowError(
            _("请选择本案适用的权责事项：没有法定依据的行政处罚无效。"),
            code="power_item_missing",
            article=article,
            field="power_item",
        )
    if not power_item.active:
        raise WorkflowError(
            _("权责事项“%(item)s”已失效，请选择现行有效的权责事项。") % {"item": power_item.name},
            code="power_item_inactive",
            article=article,
            field="power_item",
        )
    if not any(a.pk == agency.pk for a in power_item.agencies.all()):
        raise WorkflowError(
            _("“%(agency)s”的权责清单中没有“%(item)s”，不能以本机关名义立案处罚；请核对权责事项或移送有权机关。")
            % {"agency": agency.name, "item": power_item.name},
            code="power_item_not_held",
            article=article,
            field="power_item",
        )


def _certificate_problem(officer, category, day):
    """Why `officer` cannot enforce `category` on `day`, or None if they can."""
    certs = list(officer.certificates.all())
    if not certs:
        return _("未取得执法证")
    if any(c.is_valid_on(day) and c.covers(category) for c in certs):
        return None
    if any(c.is_valid_on(day) for c in certs):
        return _("执法证不含“%(category)s”执法类别") % {"category": category.name}
    status_words = {
        CertificateStatus.SUSPENDED: _("执法证已暂扣"),
        CertificateStatus.REVOKED: _("执法证已吊销"),
    }
    for cert in certs:
        if cert.status in status_words:
            return status_words[cert.status]
    latest = max(certs, key=lambda c: c.valid_to)
    if latest.valid_to < day:
        return _("执法证已于%(date)s过期") % {"date": f"{latest.valid_to:%Y-%m-%d}"}
    if latest.valid_from > day:
        return _("执法证自%(date)s起才生效") % {"date": f"{latest.valid_from:%Y-%m-%d}"}
    return _("执法证已过期")


def check_handlers(handlers, agency, category, day):
    """APL 42: at least two officers of the agency, each with a certificate valid on `day` covering `category`."""
    article = apl(42)
    handlers = list(dict.fromkeys(handlers))
    if len(handlers) < config.MIN_HANDLERS:
        raise WorkflowError(
            _("执法人员不得少于两人，请再指定承办人员。"), code="too_few_handlers", article=article, field="handlers"
        )
    others = [h.name for h in handlers if h.agency_id != agency.pk]
    if others:
        raise WorkflowError(
            _("%(names)s不是本机关的执法人员，不能承办本案。") % {"names": "、".join(others)},
            code="handler_other_agency",
            article=article,
            field="handlers",
        )
    problems = []
    for officer in handlers:
        if not officer.active:
            problems.append(_("%(name)s（已不在岗）") % {"name": officer.name})
            continue
        problem = _certificate_problem(officer, category, day)
        if problem:
            problems.append(f"{officer.name}（{problem}）")
    if problems:
        raise WorkflowError(
            _("以下人员在%(day)s不具备本案的执法资格：%(list)s。请更换承办人员或先办理执法证。")
            % {"day": f"{day:%Y-%m-%d}", "list": "；".join(problems)},
            code="handler_not_qualified",
            article=article,
            field="handlers",
        )


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, month=3, day=1)


def limitation_ends_on(violation_date, continuing_until=None, life_health_finance=False):
    """The last day on which the violation may still be discovered (APL 36)."""
    start = continuing_until or violation_date
    years = config.LIMITATION_YEARS_LIFE_HEALTH_FINANCE if life_health_finance else config.LIMITATION_YEARS
    return _add_years(start, years) - datetime.timedelta(days=1)


def check_limitation(violation_date, continuing_until, discovered_on, life_health_finance):
    """APL 36: not discovered within 2 years (5 where life, health or financial safety was harmed): no penalty."""
    article = apl(36)
    if violation_date is None:
        raise WorkflowError(
            _("请填写违法行为发生日期，以便计算追责期限。"),
            code="violation_date_missing",
            article=article,
            field="violation_date",
        )
    if violation_date > discovered_on:
        raise WorkflowError(
            _("违法行为发生日期（%(v)s）晚于发现日期（%(d)s），请核对。")
            % {"v": f"{violation_date:%Y-%m-%d}", "d": f"{discovered_on:%Y-%m-%d}"},
            code="violation_after_discovery",
            article=article,
            field="violation_date",
        )
    if continuing_until and continuing_until < violation_date:
        raise WorkflowError(
            _("违法行为终了日期不能早于发生日期，请核对。"),
            code="continuing_before_violation",
            article=article,
            field="violation_continuing_until",
        )
    ends = limitation_ends_on(violation_date, continuing_until, life_health_finance)
    if discovered_on > ends:
        years = config.LIMITATION_YEARS_LIFE_HEALTH_FINANCE if life_health_finance else config.LIMITATION_YEARS
        raise WorkflowError(
            _(
                "违法行为在%(years)d年内未被发现（追责期限至%(ends)s，发现于%(found)s），依法不再给予行政处罚，请作不予立案处理。"
            )
            % {"years": years, "ends": f"{ends:%Y-%m-%d}", "found": f"{discovered_on:%Y-%m-%d}"},
            code="limitation_expired",
            article=article,
            field="violation_date",
        )


# --- Investigation result ------------------------------------------------------------------------


def check_penalty_kinds(penalty_kinds, field="penalty_kinds"):
    """The kinds of 《行政处罚法》第九条, at least one; "no penalty" stands alone."""
    kinds = list(penalty_kinds or [])
    try:
        validate_penalty_kinds(kinds)
    except ValidationError as exc:
        raise WorkflowError(
            "；".join(exc.messages), code="penalty_kinds_invalid", article=apl(9), field=field
        ) from None
    if PenaltyKind.NONE in kinds and len(kinds) > 1:
        raise WorkflowError(
            _("“不予处罚”不能与其他处罚种类同时选择。"), code="penalty_kinds_invalid", article=apl(9), field=field
        )
    return kinds


def age_on(birth_date, on_date):
    return on_date.year - birth_date.year - ((on_date.month, on_date.day) < (birth_date.month, birth_date.day))


def check_minor(party, on_date):
    """APL 30: a person under 14 at the time of the violation is not penalised. Returns True for 14–18
    (to be penalised lightly or mitigated), False otherwise."""
    if party.kind not in PERSON_KINDS or not party.birth_date or on_date is None:
        return False
    age = age_on(party.birth_date, on_date)
    if age < config.MINOR_NO_PENALTY_AGE:
        raise WorkflowError(
            _("当事人%(name)s违法时未满十四周岁（%(age)d岁），不予行政处罚，应责令监护人加以管教；请拟定不予处罚。")
            % {"name": party.name, "age": age},
            code="minor_under_14",
            article=apl(30),
        )
    return age < config.MINOR_FULL_AGE


def check_discretion(standard, power_item, penalty_kinds, fine, base_amount, deviation_reason):
    """The discretion standard (裁量基准) and the statutory maximum.

    The fine is never above the statutory maximum. Outside the standard (fine range or penalty
    kinds) only with a written deviation reason, which then needs the heads' collective
    deliberation before the decision (APL 57(2)). Returns True when the proposal deviates.
    """
    kinds = list(penalty_kinds or [])
    fines = PenaltyKind.FINE in kinds
    if fines and fine is None:
        raise WorkflowError(_("处罚种类含罚款，请填写罚款金额。"), code="fine_missing", article=apl(9), field="fine")
    if fine is not None and not fines:
        raise WorkflowError(
            _("填写了罚款金额，但处罚种类中没有“罚款”，请核对。"),
            code="fine_without_kind",
            article=apl(9),
            field="fine",
        )
    if fine is not None and Decimal(fine) <= 0:
        raise WorkflowError(_("罚款金额应大于零。"), code="fine_not_positive", article=apl(9), field="fine")
    if standard is None:
        return False
    article = apl(34)
    if power_item is None or standard.power_item_id != power_item.pk:
        raise WorkflowError(
            _("所选裁量基准不属于本案的权责事项，请选择本事项的裁量基准。"),
            code="standard_other_item",
            article=article,
            field="discretion_standard",
        )
    if fine is not None and standard.statutory_max is not None and Decimal(fine) > standard.statutory_max:
        raise WorkflowError(
            _("罚款 %(fine)s 元超过法定最高罚款 %(max)s 元：任何理由都不能超过法定幅度，请降低罚款金额。")
            % {"fine": _money(fine), "max": _money(standard.statutory_max)},
            code="fine_above_statutory_max",
            article=apl(38),
            field="fine",
        )
    outside = []
    extra = [k for k in kinds if k not in (standard.penalty_kinds or []) and k != PenaltyKind.NONE]
    if extra:
        outside.append(
            _("处罚种类“%(kinds)s”不在裁量基准规定的种类内")
            % {"kinds": "、".join(str(PenaltyKind(k).label) for k in extra)}
        )
    if fine is not None:
        if standard.fine_basis in (FineBasis.GAINS_MULTIPLE, FineBasis.VALUE_MULTIPLE, FineBasis.FEE_MULTIPLE):
            if base_amount is None:
                raise WorkflowError(
                    _("该裁量基准按%(basis)s计罚，请填写计罚基数。") % {"basis": standard.get_fine_basis_display()},
                    code="base_amount_missing",
                    article=article,
                    field="fine_base_amount",
                )
        fine_range = standard.fine_range(base_amount)
        if fine_range is None:
            outside.append(_("裁量基准不含罚款"))
        else:
            low, high = fine_range
            if not low <= Decimal(fine) <= high:
                outside.append(
                    _("罚款 %(fine)s 元不在裁量基准幅度 %(low)s—%(high)s 元内")
                    % {"fine": _money(fine), "low": _money(low), "high": _money(high)}
                )
    if outside and not (deviation_reason or "").strip():
        raise WorkflowError(
            _("%(what)s。确需偏离裁量基准的，请写明理由，并提交机关负责人集体讨论决定。")
            % {"what": "；".join(outside)},
            code="outside_discretion_standard",
            article=f"{apl(34)}、{apl(57, 2)}",
            field="fine",
        )
    return bool(outside)


# --- Prior notice and hearing ---------------------------------------------------------------------


def hearing_threshold(power_item, person):
    """较大数额 for a person (公民) or an organisation; the power item may set its own."""
    if person:
        own = power_item.hearing_threshold_person if power_item else None
        return own if own is not None else config.HEARING_THRESHOLD_PERSON
    own = power_item.hearing_threshold_org if power_item else None
    return own if own is not None else config.HEARING_THRESHOLD_ORG


def hearing_right(case, *, penalty_kinds=None, fine=None, confiscation=None):
    """APL 63: does the intended penalty give the party a right to a hearing?

    The proposal of the case by default. With several parties the person threshold applies as
    soon as one of them is a person (the lower figure protects that party's right)."""
    kinds = case.proposed_penalty_kinds if penalty_kinds is None else penalty_kinds
    fine = case.proposed_fine if fine is None else fine
    confiscation = case.proposed_confiscation if confiscation is None else confiscation
    person = any(p.kind in PERSON_KINDS for p in case.parties.all())
    return penalty_gives_hearing_right(kinds, fine, confiscation, hearing_threshold(case.power_item, person))


def penalty_gives_hearing_right(kinds, fine, confiscation, threshold):
    """APL 63 on the penalty alone: a kind that always gives the right, or a fine or confiscation of
    `threshold` (较大数额) or more. Supervision applies it to decided penalties in bulk."""
    if any(k in config.HEARING_PENALTY_KINDS for k in kinds or []):
        return True
    if fine is not None and PenaltyKind.FINE in (kinds or []) and Decimal(fine) >= threshold:
        return True
    return confiscation is not None and Decimal(confiscation) >= threshold


def check_hearing_request_in_time(notice, requested_on):
    """APL 64(1): the party asks for a hearing within 5 working days of being told of the right."""
    article = apl(64, 1)
    if not notice.hearing_right:
        raise WorkflowError(
            _("拟作出的处罚不属于听证范围，告知书未告知听证权利，不能组织听证；当事人可以陈述、申辩。"),
            code="no_hearing_right",
            article=apl(63),
        )
    if requested_on < notice.served_on:
        raise WorkflowError(
            _("申请听证日期早于告知书送达日期，请核对。"),
            code="hearing_request_before_notice",
            article=article,
            field="requested_on",
        )
    if requested_on > notice.hearing_request_deadline:
        raise WorkflowError(
            _("申请听证的期限已于%(date)s届满（告知书送达后五个工作日内），视为放弃听证权利。")
            % {"date": f"{notice.hearing_request_deadline:%Y-%m-%d}"},
            code="hearing_request_late",
            article=article,
            field="requested_on",
        )


def check_hearing_host(host, case, handler_ids=None):
    """APL 64(4): the host is named by the agency and did not investigate the case."""
    article = apl(64)
    if host is None or host.agency_id != case.agency_id:
        raise WorkflowError(
            _("听证主持人应由本机关指定的本机关人员担任。"),
            code="hearing_host_other_agency",
            article=article,
            field="host",
        )
    ids = handler_ids if handler_ids is not None else {h.pk for h in case.handlers.all()}
    if host.pk in ids:
        raise WorkflowError(
            _("%(name)s是本案调查人员，不能主持听证，请指定非本案调查人员主持。") % {"name": host.name},
            code="hearing_host_is_handler",
            article=article,
            field="host",
        )


def check_hearing_notice(notice_served_on, scheduled_on):
    """APL 64(2): the party is told the time and place at least 7 working days before the hearing."""
    earliest = period_end(notice_served_on, config.HEARING_NOTICE)
    if scheduled_on < earliest:
        raise WorkflowError(
            _("听证通知应在举行听证七个工作日前送达：%(served)s送达的，听证最早安排在%(earliest)s。")
            % {"served": f"{notice_served_on:%Y-%m-%d}", "earliest": f"{earliest:%Y-%m-%d}"},
            code="hearing_notice_too_late",
            article=apl(64),
            field="scheduled_on",
        )


def check_statement_period_over(notice, on_date):
    """APL 45, 62: no decision before the party has been heard or the periods have run out.

    The periods are over when the party waived (statement, defence and hearing), or when the
    statement deadline and, with a hearing right, the hearing request deadline have passed. A
    hearing requested is handled by the hearing (the case is then in the hearing state)."""
    if notice.waived_on:
        return
    if notice.hearing_right and not notice.hearing_requested_on and on_date <= notice.hearing_request_deadline:
        raise WorkflowError(
            _("当事人申请听证的期限至%(date)s，期满或当事人明确放弃后才能作出决定。")
            % {"date": f"{notice.hearing_request_deadline:%Y-%m-%d}"},
            code="hearing_request_period_running",
            article=apl(64, 1),
        )
    if on_date <= notice.statement_deadline and not notice.statement:
        raise WorkflowError(
            _("当事人陈述、申辩期限至%(date)s，期满、当事人已陈述申辩或明确放弃后才能作出决定。")
            % {"date": f"{notice.statement_deadline:%Y-%m-%d}"},
            code="statement_period_running",
            article=f"{apl(45)}、{apl(62)}",
        )


# --- Legal review and deliberation -----------------------------------------------------------------


def needs_legal_review(case):
    """APL 58: major decisions, decisions after a hearing, complex cases."""
    if case.is_major or case.is_complex:
        return True
    hearing = related_or_none(case, "hearing")
    return bool(hearing and hearing.held_on)


def needs_deliberation(case):
    """APL 57(2): complex or major cases; and any deviation from the discretion standard."""
    return bool(case.is_complex or case.is_major or (case.deviation_reason or "").strip())


def check_reviewer(reviewer, case, handler_ids=None):
    """APL 58: a legal reviewer of the agency who did not handle the case; first-time reviewers
    hold the national legal professional qualification."""
    article = apl(58)
    if reviewer is None or reviewer.agency_id != case.agency_id:
        raise WorkflowError(_("法制审核应由本机关的法制审核人员进行。"), code="reviewer_other_agency", article=article)
    if not reviewer.is_legal_reviewer:
        raise WorkflowError(
            _("%(name)s不是法制审核人员，请交本机关法制审核机构审核。") % {"name": reviewer.name},
            code="not_legal_reviewer",
            article=article,
        )
    ids = handler_ids if handler_ids is not None else {h.pk for h in case.handlers.all()}
    if reviewer.pk in ids:
        raise WorkflowError(
            _("%(name)s是本案承办人员，不能审核本案，请由其他法制审核人员审核。") % {"name": reviewer.name},
            code="reviewer_is_handler",
            article=article,
        )
    if not reviewer.legal_qualification_no:
        from cases.models import LegalReview

        reviewed_before = LegalReview.objects.filter(reviewer=reviewer).exclude(outcome=ReviewOutcome.PENDING).exists()
        if not reviewed_before:
            raise WorkflowError(
                _(
                    "%(name)s初次从事法制审核，应当取得国家统一法律职业资格；请登记其法律职业资格证书编号或由其他审核人员审核。"
                )
                % {"name": reviewer.name},
                code="reviewer_unqualified",
                article=apl(58, 2),
            )


def check_review_checklist(checklist):
    """118 / APL 58: an approving review has checked every item of the statutory checklist."""
    missing = [str(label) for key, label in REVIEW_CHECKLIST if not checklist.get(key)]
    if missing:
        raise WorkflowError(
            _("以下审核事项尚未确认：%(items)s。全部确认后才能出具同意的审核意见，否则请退回补充。")
            % {"items": "；".join(missing)},
            code="review_checklist_incomplete",
            article=apl(58),
            field="checklist",
        )


def check_review_approved(case, reviews=None):
    """APL 58: where legal review is required (or a review was made), the latest round must approve."""
    reviews = list(case.legal_reviews.all()) if reviews is None else reviews
    latest = max(reviews, key=lambda r: (r.submitted_at, r.pk)) if reviews else None
    if latest is None:
        if needs_legal_review(case):
            raise WorkflowError(
                _("本案须经法制审核，未经审核不得作出决定；请提交法制审核。"),
                code="legal_review_missing",
                article=apl(58),
            )
        return
    if latest.outcome != ReviewOutcome.APPROVED:
        raise WorkflowError(
            _("法制审核尚未通过（%(outcome)s），审核未通过的不得作出决定。")
            % {"outcome": latest.get_outcome_display()},
            code="legal_review_not_approved",
            article=apl(58),
        )


def check_deliberation_participants(participants, agency):
    """APL 57(2): the agency's heads decide collectively: at least two heads of the agency."""
    participants = list(dict.fromkeys(participants))
    not_heads = [p.name for p in participants if p.agency_id != agency.pk or not p.is_agency_head]
    if not_heads:
        raise WorkflowError(
            _("%(names)s不是本机关负责人，集体讨论应由本机关负责人参加。") % {"names": "、".join(not_heads)},
            code="deliberation_not_heads",
            article=apl(57, 2),
            field="participants",
        )
    if len(participants) < config.MIN_DELIBERATION_HEADS:
        raise WorkflowError(
            _("集体讨论应有两名以上机关负责人参加。"),
            code="deliberation_too_few",
            article=apl(57, 2),
            field="participants",
        )


def check_decision_extension(existing, days, by_deliberation):
    """APL 60 and the procedural rules: one extension of ≤30 days by the head; further ones only
    by the heads' collective deliberation."""
    article = f"{apl(60)}、{config.MARKET_RULES}第六十四条"
    if days is None or days <= 0:
        raise WorkflowError(_("延长天数应大于零。"), code="extension_days_invalid", article=article, field="days")
    if not existing and days > config.DECISION_EXTENSION_FIRST_MAX_DAYS:
        raise WorkflowError(
            _("经负责人批准可以延长不超过三十日；需要更长的，请先延长三十日，再提交负责人集体讨论。"),
            code="extension_too_long",
            article=article,
            field="days",
        )
    if existing and not by_deliberation:
        raise WorkflowError(
            _("本案已延长过办案期限，再次延长应由机关负责人集体讨论决定。"),
            code="extension_needs_deliberation",
            article=article,
            field="by_deliberation",
        )
