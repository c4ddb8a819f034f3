"""What every API view shares: the answer to a refusal, the data scope, the acting officer.

- `WorkflowError` → 400 `{"code", "detail", "article", "field"}` with the workflow's own Chinese text,
  so a mobile terminal shows exactly what the browser shows.
- any other Django `ValidationError` (a model's `full_clean`, an ID or USCC validator) → 400 with
  field errors in DRF's shape (`{"uscc": ["…"]}`, `{"non_field_errors": ["…"]}`).
- out of scope → 404 (looks exactly like absent); in read scope but not write scope, or no
  officer record → 403.

The handler is set per view (`get_exception_handler`), so the project's REST_FRAMEWORK settings
need no change.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from cases.errors import WorkflowError
from cases.readonly import record_refusal
from lawenforce.access import get_in_scope_or_404, officer_of, restrict


def refusal_body(exc):
    return {"code": exc.rule_code, "detail": exc.text, "article": exc.article or "", "field": exc.field}


def api_exception_handler(exc, context):
    if isinstance(exc, WorkflowError):
        record_refusal(exc, officer_of(context["request"].user))
        return Response(refusal_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    return exception_handler(exc, context)


class NotYetAvailable(exceptions.APIException):
    status_code = status.HTTP_501_NOT_IMPLEMENTED
    default_code = "not_implemented"


def workflow_function(name):
    """The contract's function `name` from cases.workflow, looked up at call time."""
    from cases import workflow

    function = getattr(workflow, name, None)
    if function is None:
        raise NotYetAvailable(_("此功能尚未提供。"))
    return function


class ScopedMixin:
    """Mixed into every API view: the refusal handler and the scope checks of lawenforce.access."""

    # Token first, so that an anonymous request is answered 401 with `WWW-Authenticate: Token`.
    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def get_exception_handler(self):
        return api_exception_handler

    def acting_officer(self):
        """The requesting user's active officer record; 403 when there is none."""
        officer = officer_of(self.request.user)
        if officer is None:
            raise exceptions.PermissionDenied(_("您的账号没有关联在岗的执法人员，不能办理案件。"))
        return officer

    def in_scope_for_change(self, queryset, **lookup):
        """One object the user may change: 404 when they may not even see it, 403 when they may
        only read it (a supervisor), 403 without an officer record."""
        user = self.request.user
        obj = get_in_scope_or_404(queryset, user, "view", **lookup)
        if not restrict(type(obj)._default_manager.filter(pk=obj.pk), user, "change").exists():
            raise exceptions.PermissionDenied(_("您可以查阅此案件，但无权办理。"))
        return obj, self.acting_officer()
