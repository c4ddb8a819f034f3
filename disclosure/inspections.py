"""Rules of the random-inspection item list (随机抽查事项清单), in one place: the admin form and the
demo seeding both go through ``check_item``.

- the legal basis of a random inspection is an inspection power (行政检查) in the power list: an
  agency inspects only what the list lets it inspect (《国务院关于在市场监管领域全面推行部门联合
  “双随机、一公开”监管的意见》国发〔2019〕5号: 抽查事项清单 is drawn from the power list);
- each inspecting agency holds every linked power item (no inspection outside its own powers);
- an agency maintains only items of its own agencies scope (lawenforce.access, write scope).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lawenforce.models import ActionCategory

ARTICLE = "国发〔2019〕5号"


def check_item(power_items, agencies, writable_agency_ids=None):
    """Raise ValidationError (by field) when the chosen power items and agencies break a rule."""
    errors = {}
    power_items, agencies = list(power_items), list(agencies)
    if not power_items:
        errors["power_items"] = _("请至少选择一项行政检查类权责事项作为抽查依据（%(a)s）。") % {"a": ARTICLE}
    wrong = [p.code for p in power_items if p.action_category != ActionCategory.INSPECTION]
    if wrong:
        errors["power_items"] = _("抽查依据须为行政检查类权责事项，%(codes)s 不是，请改选（%(a)s）。") % {
            "codes": "、".join(wrong),
            "a": ARTICLE,
        }
    if not agencies:
        errors["agencies"] = _("请至少选择一个检查实施主体。")
    elif power_items and not wrong:
        held = {(a.pk, p.pk) for a in agencies for p in power_items if p.pk in a.held_ids}
        missing = [a.name for a in agencies if any((a.pk, p.pk) not in held for p in power_items)]
        if missing:
            errors["agencies"] = _(
                "%(names)s 的权责清单中没有所选的检查事项，不能作为检查实施主体；请先在权责清单中登记，或改选主体（%(a)s）。"
            ) % {"names": "、".join(missing), "a": ARTICLE}
    if writable_agency_ids is not None:
        outside = [a.name for a in agencies if a.pk not in writable_agency_ids]
        if outside:
            errors["agencies"] = _("您只能维护本机关的抽查事项，%(names)s 不在您的权限范围内。") % {
                "names": "、".join(outside)
            }
    if errors:
        raise ValidationError(errors)


def with_held_ids(agencies):
    """Agencies with `held_ids` (the pks of the power items each holds), two queries in all."""
    from lawenforce.models import PowerItem

    agencies = list(agencies)
    pairs = PowerItem.agencies.through.objects.filter(agency__in=[a.pk for a in agencies]).values_list(
        "agency_id", "poweritem_id"
    )
    held = {}
    for agency_id, item_id in pairs:
        held.setdefault(agency_id, set()).add(item_id)
    for agency in agencies:
        agency.held_ids = held.get(agency.pk, set())
    return agencies
