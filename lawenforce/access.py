"""Roles and data scope, in one place. Every view and API restricts its querysets here.

Roles come from the user's `Officer` row (one agency per user) and the superuser flag:

- officer: an active officer of an enforcement agency: sees and changes their own agency's data;
- agency head (机关负责人) and legal reviewer (法制审核人员): officers with those duties, same scope;
- supervisor (执法监督人员, justice bureau): sees every agency in their bureau's region and below, changes none;
- system administrator: the superuser; sees and changes everything.

On top of that, django-guardian per-object grants open single objects to a user outside
their scope (a joint case, a cross-region supervision assignment).

A model joins the scheme by naming, in `scope_agency_lookup`, the path from it to its agency
("" for Agency itself, "agency" for Officer, "officer__agency" for Certificate).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermission, UserObjectPermission

from lawenforce.models import Agency, Officer

READ_ACTIONS = {"view"}
WRITE_ACTIONS = {"add", "change", "delete"}


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    AGENCY_HEAD = "agency_head", _("机关负责人")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    SUPERVISOR = "supervisor", _("执法监督人员")
    SYSADMIN = "sysadmin", _("系统管理员")


def officer_of(user):
    """The active officer record of `user`, or None. Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_scope_officer"):
        user._scope_officer = (
            Officer.objects.select_related("agency__region").filter(user=user, active=True).first()
        )
    return user._scope_officer


def roles_of(user):
    roles = set()
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_superuser:
        roles.add(Role.SYSADMIN)
    officer = officer_of(user)
    if officer:
        if officer.is_supervisor and officer.agency.is_supervisory:
            roles.add(Role.SUPERVISOR)
        else:
            roles.add(Role.OFFICER)
        if officer.is_agency_head:
            roles.add(Role.AGENCY_HEAD)
        if officer.is_legal_reviewer:
            roles.add(Role.LEGAL_REVIEWER)
    return frozenset(roles)


def has_role(user, role):
    return role in roles_of(user)


def scope_region(user):
    """The region a supervisor watches (their bureau's region), or None."""
    officer = officer_of(user)
    if officer and Role.SUPERVISOR in roles_of(user):
        return officer.agency.region
    return None


def agencies_in_scope(user, action="view"):
    """Agencies whose data `user` may see (action "view") or write (add/change/delete), before per-object grants."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    officer = officer_of(user)
    if officer is None:
        return Agency.objects.none()
    if action in READ_ACTIONS and Role.SUPERVISOR in roles_of(user):
        return Agency.objects.in_region(officer.agency.region)
    if action in WRITE_ACTIONS and Role.SUPERVISOR in roles_of(user):
        # Supervisors watch and issue notices; they never write an agency's own records.
        return Agency.objects.none()
    return Agency.objects.filter(pk=officer.agency_id)


def _granted_pks(model, user, action):
    """Primary keys of `model` objects that a per-object django-guardian grant opens to `user`.

    Evaluated once per user object and cached on it (the user lives for one request): grants
    are rare, and leaving an OR-subquery in every scoped query would stop the database from
    using the agency index (measured in docs/benchmarks.md).
    """
    meta = model._meta
    codename = f"{action}_{meta.model_name}"
    cache = user.__dict__.setdefault("_scope_grants", {})
    if codename not in cache:
        # Read the grant tables (indexed by user and group), never the model's table: asking for
        # "objects of the model with a grant" makes the database cast every primary key to text.
        content_type = ContentType.objects.get_for_model(model)
        wanted = {"content_type": content_type, "permission__codename": codename}
        direct = UserObjectPermission.objects.filter(user=user, **wanted).values_list("object_pk", flat=True)
        via_groups = GroupObjectPermission.objects.filter(group__user=user, **wanted).values_list("object_pk", flat=True)
        cache[codename] = sorted({meta.pk.to_python(pk) for pk in direct.union(via_groups)})
    return cache[codename]


def restrict(queryset, user, action="view"):
    """`queryset` narrowed to what `user` may `action`. The one access check every view and API uses."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.is_superuser:
        return queryset
    lookup = queryset.model.scope_agency_lookup
    agencies = agencies_in_scope(user, action).values("pk")
    allowed = Q(**{f"{lookup}__in" if lookup else "pk__in": agencies})
    granted = _granted_pks(queryset.model, user, action)
    if granted:
        allowed |= Q(pk__in=granted)
    return queryset.filter(allowed)


def get_in_scope_or_404(queryset, user, action="view", **lookup):
    """Fetch one object in scope. Out of scope looks exactly like absent, so URL guessing learns nothing."""
    try:
        return restrict(queryset, user, action).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(_("没有找到该记录，或您无权查看。")) from None


def can(user, action, obj):
    """True when `user` may `action` this object."""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()
