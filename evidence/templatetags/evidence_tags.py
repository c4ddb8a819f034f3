"""`{% evidence_section case %}`: the case page's evidence list in one line, items fetched in scope."""

from django import template

from evidence import services

register = template.Library()


@register.inclusion_tag("evidence/_case_section.html", takes_context=True)
def evidence_section(context, case):
    user = context["request"].user
    items = list(services.items_in_scope(user).filter(case_id=case.pk).order_by("collected_at", "pk"))
    return {"case": case, "items": items, "can_upload": services.can_upload(user, case), "request": context["request"]}
