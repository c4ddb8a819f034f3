"""The public checkpoint feed of the ledger (存证日志公示): /transparency/ and its checkpoint.txt.

Publishing the signed checkpoints here takes them out of the database's trust domain: anyone who
keeps a copy can later prove that the log was rewritten (a consistency proof from their copy fails).
Public, no login; nothing personal is shown (leaves hold only salted digests, and only tree heads
are listed here).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lawenforce.ledger import keys
from lawenforce.models import Checkpoint

RECENT = 20


def _checkpoints():
    return Checkpoint.objects.order_by("-size", "-created_at")


@require_GET
def transparency(request):
    checkpoints = list(_checkpoints()[:RECENT])
    for checkpoint in checkpoints:
        checkpoint.root_hex = bytes(checkpoint.root_hash).hex()
    return render(
        request,
        "disclosure/transparency.html",
        {"checkpoints": checkpoints, "latest": checkpoints[0] if checkpoints else None, "origin": keys.origin()},
    )


@require_GET
def checkpoint_txt(request):
    checkpoint = _checkpoints().first()
    if checkpoint is None:
        raise Http404("尚未生成检查点。")
    response = HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
