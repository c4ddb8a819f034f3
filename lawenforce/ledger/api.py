"""The ledger's read API under /api/v1/ledger/ (authenticated like the rest of /api/v1/).

- ``checkpoint/``: the latest signed checkpoint (note text, size, root);
- ``inclusion/?index=&size=`` and ``consistency/?first=&second=``: proofs (``Proof.as_dict()``);
  ``size`` and ``second`` default to the current tree;
- ``receipt/<kind>/<pk>/`` for "document" and "evidence": the object's newest entry with its
  inclusion proof against the latest checkpoint (signed on demand when none covers the entry), as
  ``receipts.receipt`` builds it (the format ``verify.py receipt`` checks offline).
  The object is looked up in the user's scope (``lawenforce.access.restrict``): outside it, 404.

The models are reached by label, so this module imports no ``cases`` or ``evidence`` code.
"""

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from lawenforce.access import get_in_scope_or_404

from . import keys, log, receipts

RECEIPT_MODELS = {"document": "cases.Document", "evidence": "evidence.EvidenceItem"}


def _count(request, name, required=True):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if required:
            raise exceptions.ValidationError({name: [_("请提供 %(name)s。") % {"name": name}]})
        return None
    try:
        return int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [_("%(name)s 必须是整数。") % {"name": name}]}) from None


class LedgerView(APIView):
    # Token first, so an anonymous request is answered 401 with WWW-Authenticate (like cases/evidence).
    authentication_classes = [TokenAuthentication, SessionAuthentication]


class CheckpointView(LedgerView):
    def get(self, request):
        checkpoint = receipts.latest_checkpoint()
        if checkpoint is None:
            raise Http404(_("尚未生成检查点。"))
        return Response(receipts.checkpoint_dict(checkpoint))


def _out_of_range():
    return exceptions.ValidationError(
        {
            "detail": _("序号或日志大小超出范围：当前日志共 %(n)d 条记录，序号从 0 起算，请核对参数。")
            % {"n": log.tree_size()}
        }
    )


def _corrupt():
    """The stored tree cannot give a proof (rows missing or disagreeing): say so instead of a 500."""
    return Response(
        {
            "code": "ledger_corrupt",
            "detail": _("存证日志的存储数据不完整或不一致，暂不能出具证明。请联系系统管理员运行 verify_ledger 核查。"),
        },
        status=503,
    )


class InclusionView(LedgerView):
    def get(self, request):
        index, size = _count(request, "index"), _count(request, "size", required=False)
        try:
            return Response(log.inclusion(index, size).as_dict())
        except ValueError:
            raise _out_of_range() from None
        except log.LedgerCorrupt:
            return _corrupt()


class ConsistencyView(LedgerView):
    def get(self, request):
        first, second = _count(request, "first"), _count(request, "second", required=False)
        try:
            return Response(log.consistency(first, second).as_dict())
        except ValueError:
            raise _out_of_range() from None
        except log.LedgerCorrupt:
            return _corrupt()


class ReceiptView(LedgerView):
    def get(self, request, kind, pk):
        label = RECEIPT_MODELS.get(kind)
        if label is None:
            raise Http404(_("没有这种存证回执。"))
        model = apps.get_model(label)
        obj = get_in_scope_or_404(model._default_manager.all(), request.user, "view", pk=pk)
        entry = receipts.entry_for(kind, obj)
        if entry is None:
            raise Http404(_("该记录没有存证日志条目。"))
        try:
            checkpoint = receipts.covering_checkpoint(entry)
        except keys.SigningKeyMissing:
            return Response(
                {
                    "code": "ledger_key_missing",
                    "detail": _("存证日志尚未配置签名密钥，暂不能出具回执。请联系系统管理员配置 LEDGER_SIGNING_KEY。"),
                },
                status=503,
            )
        except log.LedgerCorrupt:
            return _corrupt()
        try:
            return Response(receipts.receipt(entry, checkpoint))
        except log.LedgerCorrupt:
            return _corrupt()
