"""Template context shared by every page: the user's roles, for navigation by role."""

from lawenforce.access import Role, officer_of, roles_of


def navigation(request):
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else frozenset()
    return {
        "user_roles": roles,
        "user_officer": officer_of(user) if user is not None else None,
        "Role": Role,
    }
