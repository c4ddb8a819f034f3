"""Rules on the disclosure of penalty decisions (issue 5's disclosure.PenaltyDisclosure, read
through the fields fixed in CONTRACTS.md): published late or not at all, and a decision that fell
in reconsideration or litigation not withdrawn in time. The deadlines are the ones the
disclosure app computed and stored (publish_due_on, withdraw_due_on)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.rules.config import apl
from disclosure.models import PenaltyDisclosure
from supervision.models import Severity
from supervision.sql import local_date

from .base import Finding, Group, Rule, Trigger, days_left_words, iso, parse_day, register

T_EX_POST = "国办发〔2018〕118号（行政处罚决定7个工作日内公示）"


class DisclosureRule(Rule):
    trigger = Trigger.SCHEDULE
    group = Group.DISCLOSURE
    due_field = ""
    done_field = ""

    def base(self, ctx):
        raise NotImplementedError

    def findings(self, cases, ctx):
        due, done = self.due_field, self.done_field
        rows = (
            self.base(ctx)
            .filter(case__in=cases, **{f"{due}__isnull": False})
            .annotate(done_on=local_date(done))
            .filter(Q(**{f"{done}__isnull": True, f"{due}__lt": ctx.today}) | Q(done_on__gt=self._due_ref()))
            .order_by("pk")
            .values_list("case_id", "agency_id", "party_name", due, "done_on")
        )
        out = {}
        for case_id, agency_id, party, due_on, done_on in rows:
            finding = out.setdefault(case_id, Finding(agency_id, {"records": []}))
            finding.facts["records"].append({"party": party, "due_on": iso(due_on), "done_on": iso(done_on)})
        return out

    def _due_ref(self):
        from django.db.models import F

        return F(self.due_field)

    def describe(self, facts, today):
        parts = []
        for r in facts["records"][:5]:
            values = {
                "party": r["party"] or _("当事人"),
                "due": r["due_on"],
                "done": r.get("done_on"),
                "what": self.done_words,
            }
            if r.get("done_on"):
                parts.append(_("%(party)s的公示记录应在%(due)s前%(what)s，实际%(done)s%(what)s") % values)
            else:
                values["left"] = days_left_words(parse_day(r["due_on"]), today)
                parts.append(_("%(party)s的公示记录应在%(due)s前%(what)s，至今未%(what)s，%(left)s") % values)
        return "；".join(parts) + "。"


@register
class DisclosureOverdue(DisclosureRule):
    code = "S-DISCLOSURE-OVERDUE"
    title = gettext_lazy("处罚决定未按期公示")
    description = gettext_lazy("应当公示的行政处罚决定超过法定期限仍未公示，或公示晚于期限。")
    article = T_EX_POST
    severity = Severity.MEDIUM
    due_field, done_field = "publish_due_on", "published_at"
    done_words = gettext_lazy("公示")

    def base(self, ctx):
        # "exempt" records are not to be published; withdrawn and expired ones were published first.
        return PenaltyDisclosure.objects.exclude(state="exempt")


@register
class WithdrawalOverdue(DisclosureRule):
    code = "S-WITHDRAWAL-OVERDUE"
    title = gettext_lazy("被撤销或变更的处罚决定未按期撤下公示")
    description = gettext_lazy("已公示的处罚决定被变更、撤销、确认违法或无效后，未在三个工作日内撤下公示。")
    article = apl(48, 2)
    severity = Severity.HIGH
    due_field, done_field = "withdraw_due_on", "withdrawn_at"
    done_words = gettext_lazy("撤下")

    def base(self, ctx):
        return PenaltyDisclosure.objects.all()
