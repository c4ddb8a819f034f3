"""What the supervision pages share: who is a supervisor, the bureau they act for, refusals."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from lawenforce.access import Role, officer_of, roles_of


def is_supervisor(user):
    return Role.SUPERVISOR in roles_of(user)


def supervisor_required(view):
    """Supervisors of a justice bureau (and the system administrator, who sees everything)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (is_supervisor(request.user) or request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def staff_required(view):
    """Anyone with an officer record (agency staff or supervisor) or the administrator."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if officer_of(request.user) is None and not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def bureau_of(user):
    """The justice bureau a supervisor acts for (None for the administrator)."""
    officer = officer_of(user)
    return officer.agency if officer is not None and is_supervisor(user) else None


def show_error(form, error):
    form.add_error(None, error.messages)
    for field, errors in getattr(error, "error_dict", {}).items():
        if field in form.fields:
            form.add_error(field, [m for e in errors for m in e.messages])
