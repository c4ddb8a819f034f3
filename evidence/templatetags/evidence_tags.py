"""`{% evidence_section case %}`: the case page's evidence list in one line, items fetched in scope.

When the page's context has `ledger_evidence` ({item pk: ledger index}, computed by the case page
in one query for the whole page), each item shows its ledger status (已存证（日志序号 N） / 未存证)."""

from django import template

from evidence import services

register = template.Library()


@register.inclusion_tag("evidence/_case_section.html", takes_context=True)
def evidence_section(context, case):
    user = context["request"].user
    items = list(services.items_in_scope(user).filter(case_id=case.pk).order_by("collected_at", "pk"))
    ledger = context.get("ledger_evidence")
    for item in items:
        item.ledger_index = ledger.get(item.pk) if ledger is not None else None
    return {
        "case": case,
        "items": items,
        "show_ledger": ledger is not None,
        "can_upload": services.can_upload(user, case),
        "request": context["request"],
    }
