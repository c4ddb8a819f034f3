"""Dossier evaluation (案卷评查): the reproducible draw, evaluators, pre-checks, scores, results.

The draw. The population of an agency is its cases closed (closed or archived) with a closing
date in the period, by ascending id. For each agency, `random.Random(f"{seed}:{agency id}")`
picks `per_agency` of them (`Random.sample`, all of them when there are fewer). Python's
Random with a string seed is specified to give the same sequence on every platform and
version (version 2 seeding), so anyone with the recorded seed and population repeats the draw:
`verify_draw(sample)` does, and compares the population with today's data too.
"""

import hashlib
import json
import random
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import Case, CaseState
from lawenforce.access import Role, officer_of, restrict, roles_of
from lawenforce.models import Agency, Officer
from supervision.models import Alert, AlertState, DossierEvaluation, EvaluationSample, ItemScore, SampleState

CLOSED_STATES = (CaseState.CLOSED, CaseState.ARCHIVED)


def population(agencies, start, end):
    """{agency id (str): [case ids ascending]} of the cases closed in [start, end]."""
    out = {str(a.pk): [] for a in agencies}
    rows = (
        Case.objects.filter(agency__in=agencies, state__in=CLOSED_STATES, closed_on__gte=start, closed_on__lte=end)
        .order_by("agency_id", "pk")
        .values_list("agency_id", "pk")
    )
    for agency_id, pk in rows:
        out[str(agency_id)].append(pk)
    return out


def digest(pop):
    return hashlib.sha256(json.dumps(pop, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def draw(pop, per_agency, seed):
    """{agency id: [drawn case ids ascending]}: the same every time for the same arguments."""
    return {
        # Reproducibility is the point here, not unpredictability: the seed is published.
        agency_id: sorted(random.Random(f"{seed}:{agency_id}").sample(ids, min(per_agency, len(ids))))  # noqa: S311
        for agency_id, ids in sorted(pop.items(), key=lambda kv: int(kv[0]))
    }


def _supervisor(user):
    officer = officer_of(user)
    if officer is None or Role.SUPERVISOR not in roles_of(user):
        raise WorkflowError(_("只有司法行政部门的执法监督人员才能组织案卷评查。"), code="not_supervisor")
    return officer


@transaction.atomic
def create_sample(user, *, title, agencies, period_start, period_end, per_agency, rubric, seed=""):
    officer = _supervisor(user)
    agencies = list(restrict(Agency.objects.filter(pk__in=[a.pk for a in agencies]), user).order_by("pk"))
    if not agencies:
        raise WorkflowError(_("请选择被评查的执法主体。"), code="no_agencies", field="agencies")
    seed = (seed or "").strip() or str(secrets.randbelow(10**12))
    pop = population(agencies, period_start, period_end)
    sample = EvaluationSample.objects.create(
        title=title,
        bureau=officer.agency,
        period_start=period_start,
        period_end=period_end,
        per_agency=per_agency,
        seed=seed,
        population=pop,
        population_size=sum(len(v) for v in pop.values()),
        population_digest=digest(pop),
        rubric=rubric,
        created_by=officer,
    )
    sample.agencies.set(agencies)
    drawn = draw(pop, per_agency, seed)
    DossierEvaluation.objects.bulk_create(
        DossierEvaluation(sample=sample, case_id=case_id, agency_id=int(agency_id))
        for agency_id, ids in drawn.items()
        for case_id in ids
    )
    if not sample.evaluations.exists():
        raise WorkflowError(_("所选期间内这些执法主体没有已结案的案件，无法抽取。"), code="empty_population")
    return sample


def verify_draw(sample):
    """Repeat the draw from the recorded seed and population; also compare today's population."""
    drawn = draw(sample.population, sample.per_agency, sample.seed)
    recorded = {}
    for agency_id, case_id in sample.evaluations.values_list("agency_id", "case_id"):
        recorded.setdefault(str(agency_id), []).append(case_id)
    recorded = {k: sorted(v) for k, v in recorded.items()}
    expected = {k: v for k, v in drawn.items() if v}
    current = population(sample.agencies.all(), sample.period_start, sample.period_end)
    return {
        "reproduced": expected == recorded,
        "digest_matches": digest(sample.population) == sample.population_digest,
        "population_unchanged": current == sample.population,
        "drawn": expected,
    }


def evaluator_choices(user, sample):
    """Officers who may evaluate: active officers in the supervisor's scope; per case the
    evaluated agency's own are excluded (check_evaluator)."""
    return restrict(Officer.objects.filter(active=True), user).select_related("agency").order_by("agency__name", "name")


def check_evaluator(evaluation, evaluator):
    if evaluator is not None and evaluator.agency_id == evaluation.agency_id:
        raise WorkflowError(
            _("%(name)s是被评查执法主体的人员，不能评查本单位的案卷，请另行指派。") % {"name": evaluator.name},
            code="evaluator_from_agency",
            field="evaluator",
        )


@transaction.atomic
def assign(evaluation, user, evaluator):
    _supervisor(user)
    if evaluation.finalized_at:
        raise WorkflowError(_("该案卷已评定，不能更换评查人。"), code="already_final")
    if evaluator is not None and not evaluator_choices(user, evaluation.sample).filter(pk=evaluator.pk).exists():
        raise WorkflowError(_("评查人应为您辖区内的在岗人员。"), code="evaluator_out_of_scope", field="evaluator")
    check_evaluator(evaluation, evaluator)
    evaluation.evaluator = evaluator
    evaluation.save(update_fields=["evaluator"])
    return evaluation


def can_score(user, evaluation):
    officer = officer_of(user)
    return officer is not None and evaluation.evaluator_id == officer.pk and evaluation.finalized_at is None


@transaction.atomic
def precheck(evaluation):
    """Run the rules on the case and fill in what a machine can judge: an item whose rules raised
    an alert (not dismissed) gets 0 points with the alerts named; an item whose rules found
    nothing gets its full points; items without rules are left to the evaluator."""
    from supervision.engine import check_case
    from supervision.rules import get_rule

    check_case(evaluation.case_id)
    alerts = {}
    for alert in Alert.objects.filter(case_id=evaluation.case_id).exclude(state=AlertState.DISMISSED):
        alerts.setdefault(alert.rule, []).append(alert)
    items = list(evaluation.sample.rubric.items.all())
    existing = {s.item_id: s for s in evaluation.scores.all()}
    today = timezone.localdate()
    for item in items:
        score = existing.get(item.pk) or ItemScore(evaluation=evaluation, item=item)
        if item.auto_rules:
            hits = [a for code in item.auto_rules for a in alerts.get(code, [])]
            if hits:
                score.auto_points = Decimal(0)
                score.auto_finding = "；".join(
                    f"{a.title}：{get_rule(a.rule).describe(a.facts, today) if get_rule(a.rule) else a.message}"
                    for a in hits
                )
            else:
                score.auto_points = item.max_points
                score.auto_finding = _("系统核查未发现问题（%(rules)s）。") % {"rules": "、".join(item.auto_rules)}
            if score.points is None:
                score.points = score.auto_points
        score.save()
    evaluation.prechecked_at = timezone.now()
    evaluation.save(update_fields=["prechecked_at"])
    return evaluation


def score_total(items, points):
    """The rubric arithmetic: (total, passed, reasons). `points` maps item id → Decimal points.
    Each item is scored from 0 to its maximum; the dossier passes with a total of at least the
    rubric's pass score and no veto item (否决项) at zero."""
    total = Decimal(0)
    reasons = []
    for item in items:
        value = points.get(item.pk)
        if value is None:
            raise WorkflowError(_("请为“%(item)s”评分。") % {"item": item.title}, code="score_missing")
        value = Decimal(value)
        if value < 0 or value > item.max_points:
            raise WorkflowError(
                _("“%(item)s”的得分应在0至%(max)s分之间。") % {"item": item.title, "max": item.max_points},
                code="score_out_of_range",
            )
        total += value
        if item.veto and value == 0:
            reasons.append(_("否决项“%(item)s”不得分") % {"item": item.title})
    return total, reasons


def passes(rubric, total, veto_reasons):
    return total >= rubric.pass_score and not veto_reasons


@transaction.atomic
def save_scores(evaluation, user, points, comments, opinion, finalize=False):
    """The evaluator's scores (the final call); `finalize` fixes total and result."""
    if not can_score(user, evaluation):
        raise WorkflowError(_("只有指派的评查人才能评分，已评定的案卷不能再修改。"), code="not_evaluator")
    items = list(evaluation.sample.rubric.items.all())
    existing = {s.item_id: s for s in evaluation.scores.all()}
    for item in items:
        score = existing.get(item.pk) or ItemScore(evaluation=evaluation, item=item)
        score.points = points.get(item.pk)
        score.comment = comments.get(item.pk, "")
        if score.points is not None and not 0 <= score.points <= item.max_points:
            raise WorkflowError(
                _("“%(item)s”的得分应在0至%(max)s分之间。") % {"item": item.title, "max": item.max_points},
                code="score_out_of_range",
            )
        score.save()
    evaluation.opinion = (opinion or "").strip()
    if finalize:
        total, reasons = score_total(items, points)
        evaluation.total_score = total
        evaluation.passed = passes(evaluation.sample.rubric, total, reasons)
        evaluation.finalized_at = timezone.now()
        if reasons:
            evaluation.opinion = "；".join([evaluation.opinion, *reasons]).strip("；")
    evaluation.save()
    sample = evaluation.sample
    if finalize and not sample.evaluations.filter(finalized_at__isnull=True).exists():
        sample.state = SampleState.FINISHED
        sample.save(update_fields=["state"])
    return evaluation


def results_by_agency(sample):
    """[{agency, drawn, evaluated, passed, rate, average}] for the sample, one query."""
    from django.db.models import Avg, Count, Q

    rows = (
        sample.evaluations.order_by()
        .values("agency_id", "agency__name")
        .annotate(
            drawn=Count("pk"),
            evaluated=Count("pk", filter=Q(finalized_at__isnull=False)),
            passed=Count("pk", filter=Q(passed=True)),
            average=Avg("total_score", filter=Q(finalized_at__isnull=False)),
        )
        .order_by("agency__name")
    )
    out = []
    for row in rows:
        row["rate"] = (row["passed"] / row["evaluated"]) if row["evaluated"] else None
        out.append(row)
    return out
