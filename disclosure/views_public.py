"""Public pages of the penalty disclosure platform (行政处罚信息公示): search, detail with its
verification, the proof download and the open-data exports. No login; no JavaScript needed
(the browser check of the proof is the one thing that needs it).

Scope (lawenforce/access.py, "the public sees only published things"): every query starts from
``PenaltyDisclosure.objects.public()``; a record is addressed only by its random ``public_id``.
A withdrawn record's URL shows only the notice that it was withdrawn (APL art. 48 para 2: a
decision revoked or confirmed unlawful is withdrawn with reasons); anything else outside
``public()`` (pending, exempt, past its publication period) answers 404.
"""

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import opendata, verification
from .models import DisclosureState, PenaltyDisclosure
from .search import PublicSearchForm, count, page, planned, search


def _form(request):
    """The bound filter form (unbound when no filter was given) and its cleaned data or None."""
    params = request.GET
    form = PublicSearchForm(params if any(params.get(name) for name in PublicSearchForm.base_fields) else None)
    if not form.is_bound:
        return form, {}
    return form, (form.cleaned_data if form.is_valid() else None)


def _query_string(request, **changes):
    params = request.GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@require_GET
def penalty_list(request):
    form, data = _form(request)
    context = {"form": form, "page": None}
    if data is not None:
        qs = search(data)
        with planned(data):
            result = page(qs, data.get("sort") or "newest", request.GET.get("after"), request.GET.get("before"))
        first = not (request.GET.get("after") or request.GET.get("before"))
        whole = result.rows if first and not result.next_cursor else None
        total, more, approximate = count(data, qs, whole)
        context.update(
            page=result,
            total=total,
            more=more,
            approximate=approximate,
            next_query=_query_string(request, after=result.next_cursor) if result.next_cursor else "",
            prev_query=_query_string(request, before=result.prev_cursor) if result.prev_cursor else "",
            export_query=_query_string(request),
        )
    return render(request, "disclosure/public/list.html", context)


def _record(public_id):
    return PenaltyDisclosure.objects.filter(public_id=public_id).first()


@require_GET
def penalty_detail(request, public_id):
    record = _record(public_id)
    if record is None:
        raise Http404
    if record.state == DisclosureState.WITHDRAWN:
        # Only the notice: no party, no facts (APL art. 48 para 2).
        return render(request, "disclosure/public/withdrawn.html", {"record": record}, status=410)
    if not PenaltyDisclosure.objects.public().filter(pk=record.pk).exists():
        raise Http404  # pending, exempt, or past the end of its publication period
    bundle = verification.bundle(record)
    columns = [(label, opendata.display(record, field)) for field, label in opendata.PUBLIC_COLUMNS]
    return render(
        request,
        "disclosure/public/detail.html",
        {
            "record": record,
            "columns": columns,
            "bundle": bundle,
            "command": verification.command_line(bundle) if bundle else "",
        },
    )


@require_GET
def penalty_proof(request, public_id):
    """The proof bundle as a JSON download (checkable offline; see disclosure/README.md)."""
    record = _record(public_id)
    if record is None or not PenaltyDisclosure.objects.public().filter(pk=record.pk).exists():
        raise Http404
    bundle = verification.bundle(record)
    if bundle is None:
        raise Http404("该记录尚未纳入已发布的检查点。")
    response = JsonResponse(bundle, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="proof-{record.public_id}.json"'
    return response


def _export(request, kind):
    form, data = _form(request)
    if data is None:
        return render(request, "disclosure/public/list.html", {"form": form, "page": None}, status=400)
    qs = search(data)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if kind == "csv":
        response = StreamingHttpResponse(opendata.csv_lines(qs), content_type="text/csv; charset=utf-8")
    else:
        meta = {
            "title": "行政处罚信息公示",
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "filters": {k: str(v) for k, v in data.items() if v not in (None, "") and not k.startswith("_")},
        }
        response = StreamingHttpResponse(opendata.json_chunks(qs, meta), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="penalties-{stamp}.{kind}"'
    return response


@require_GET
def export_csv(request):
    return _export(request, "csv")


@require_GET
def export_json(request):
    return _export(request, "json")
