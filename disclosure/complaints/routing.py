"""Which agency a complaint goes to: the competent agency by region and matter.

《市场监督管理投诉举报处理暂行办法》 (used as the default for every sector, see legal-rules.md):
a complaint is handled by the agency where the business operates, a report by the agency where the
violation took place (属地管辖); a matter no agency of that place handles goes to the nearest higher region. In order:

1. an active agency of the complaint's region that holds the power item (权责事项) named, else the
   same one region up, and so on to the province;
2. without a power item, or when no agency holds it: an agency of the chosen sector (领域),
   nearest region first;
3. nobody: the justice bureau (司法行政) of the region or the nearest one above it, which passes
   it on; failing that ``settings.COMPLAINT_DEFAULT_AGENCY`` (a USCC); failing that unrouted.

Entrusted organisations (受委托组织) are never chosen: they act in the name of the entrusting
agency, which receives the complaint. Among several equal candidates the first by name is
chosen and the note says how many there were. ``Route.note`` is stored as ``routing_note``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from lawenforce.models import Agency, AgencyKind, Sector

NOTE_LENGTH = 256


@dataclass(frozen=True)
class Route:
    agency: Agency | None
    note: str


def region_chain(region):
    """The region and its ancestors, nearest first."""
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return chain


def _candidates():
    return Agency.objects.active().exclude(kind=AgencyKind.ENTRUSTED).select_related("region").order_by("name", "pk")


def _first(queryset):
    found = list(queryset[:2])
    if not found:
        return None, 0
    return found[0], queryset.count() if len(found) > 1 else 1


def _others(count):
    return _("（同级另有 %(n)d 个机关符合，取名称在前者）") % {"n": count - 1} if count > 1 else ""


def _note(text):
    return text[:NOTE_LENGTH]


def route(region, *, sector="", power_item=None):
    """The Route for a complaint about `power_item` / `sector` that arose in `region`."""
    chain = region_chain(region)
    base = _candidates().exclude(sector=Sector.JUSTICE)
    if power_item is not None:
        for place in chain:
            agency, count = _first(base.filter(region=place, power_items=power_item))
            if agency:
                return Route(
                    agency,
                    _note(
                        _("按涉及事项“%(item)s”分派：%(place)s持有该事项的机关%(others)s。")
                        % {"item": power_item.name, "place": place.name, "others": _others(count)}
                    ),
                )
    if sector:
        for place in chain:
            agency, count = _first(base.filter(region=place, sector=sector))
            if agency:
                label = Sector(sector).label if sector in Sector.values else sector
                prefix = _("发生地及上级区划均无机关持有所涉事项，") if power_item is not None else ""
                return Route(
                    agency,
                    _note(
                        prefix
                        + _("按领域“%(sector)s”分派：%(place)s的该领域执法机关%(others)s。")
                        % {"sector": label, "place": place.name, "others": _others(count)}
                    ),
                )
    for place in chain:
        agency, _count = _first(_candidates().filter(region=place, sector=Sector.JUSTICE))
        if agency:
            return Route(
                agency,
                _note(
                    _(
                        "%(place)s及上级区划没有承办该事项或该领域的执法机关，交%(agency)s（司法行政部门）转交有权处理的机关。"
                    )
                    % {"place": region.name, "agency": agency.name}
                ),
            )
    default = getattr(settings, "COMPLAINT_DEFAULT_AGENCY", "")
    if default:
        agency = _candidates().filter(uscc=default).first()
        if agency:
            return Route(
                agency, _note(_("未找到有权处理的机关，按系统设置交%(agency)s处理。") % {"agency": agency.name})
            )
    return Route(None, _note(_("未找到有权处理的机关，也未设置默认承办机关：请系统管理员人工分派。")))
