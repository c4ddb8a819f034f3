"""Which agency or region a page shows, and who may see it.

A scope is written `r370800` (a region with everything below it) or `a12` (one agency) in URLs.
Supervisors see their bureau's region and everything below it, officers their own agency, the
system administrator everything. Anything else answers 404, like a missing record
(lawenforce.access).
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from analytics.models import ScopeKind
from lawenforce.access import Role, agencies_in_scope, officer_of, roles_of, scope_region
from lawenforce.models import Agency, Region, RegionLevel


@dataclass(frozen=True)
class Scope:
    kind: str
    obj: object  # a Region or an Agency

    @property
    def key(self):
        return f"{'r' + self.obj.code if self.is_region else 'a' + str(self.obj.pk)}"

    @property
    def is_region(self):
        return self.kind == ScopeKind.REGION

    @property
    def name(self):
        return self.obj.name

    @property
    def level_label(self):
        return RegionLevel(self.obj.level).label if self.is_region else _("执法主体")

    def value_filter(self):
        return {"scope_kind": self.kind, ("region" if self.is_region else "agency"): self.obj}

    def agencies(self):
        if self.is_region:
            return Agency.objects.in_region(self.obj)
        return Agency.objects.filter(pk=self.obj.pk)

    def case_filter(self, lookup="agency"):
        if self.is_region:
            return {f"{lookup}__region__path__startswith": self.obj.path}
        return {f"{lookup}_id": self.obj.pk}


def can_use(user):
    """Analytics is for staff with an officer record (own agency) and for administrators."""
    return bool(roles_of(user)) and (officer_of(user) is not None or user.is_superuser)


def default_scope(user):
    if not can_use(user):
        raise Http404
    region = scope_region(user)
    if region is not None:
        return Scope(ScopeKind.REGION, region)
    if user.is_superuser and officer_of(user) is None:
        top = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").first()
        if top is None:
            raise Http404(_("还没有行政区划。"))
        return Scope(ScopeKind.REGION, top)
    return Scope(ScopeKind.AGENCY, officer_of(user).agency)


def resolve(user, key):
    """The scope named by `key` if `user` may see it; the user's default scope for an empty key."""
    if not key:
        return default_scope(user)
    if not can_use(user):
        raise Http404
    key = str(key)
    if key.startswith("r"):
        region = Region.objects.filter(code=key[1:]).first()
        if region is None or not may_see_region(user, region):
            raise Http404(_("没有找到该区划，或您无权查看。"))
        return Scope(ScopeKind.REGION, region)
    if key.startswith("a") and key[1:].isdigit():
        agency = agencies_in_scope(user).filter(pk=int(key[1:])).select_related("region").first()
        if agency is None:
            raise Http404(_("没有找到该执法主体，或您无权查看。"))
        return Scope(ScopeKind.AGENCY, agency)
    raise Http404(_("没有找到该范围。"))


def may_see_region(user, region):
    if user.is_superuser:
        return True
    if Role.SUPERVISOR not in roles_of(user):
        return False
    mine = scope_region(user)
    return mine is not None and region.path.startswith(mine.path)


def is_supervising(user):
    return user.is_superuser or Role.SUPERVISOR in roles_of(user)


def children(scope):
    """What a scope compares: its lower regions and the agencies seated at its own level."""
    if not scope.is_region:
        return []
    rows = [Scope(ScopeKind.REGION, r) for r in Region.objects.filter(parent=scope.obj).order_by("code")]
    rows += [
        Scope(ScopeKind.AGENCY, a) for a in Agency.objects.filter(region=scope.obj).exclude(sector="justice").order_by("name")
    ]
    return rows


def breadcrumbs(user, scope):
    """The scopes above `scope` the user may open (for a supervisor: up to their own region)."""
    region = scope.obj if scope.is_region else scope.obj.region
    trail = [r for r in region.ancestors() if may_see_region(user, r)]
    if scope.is_region:
        return [Scope(ScopeKind.REGION, r) for r in trail]
    own = [region] if may_see_region(user, region) else []
    return [Scope(ScopeKind.REGION, r) for r in trail + own]
