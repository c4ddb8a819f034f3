"""Public search of published penalty records (行政处罚信息公示查询): the one place that turns the
public's filters into a query. The search page, the open-data exports (CSV, JSON) and the public API
all call ``search()``, so they always find the same records and never anything unpublished:
every query starts from ``PenaltyDisclosure.objects.public()`` (published, inside the publication
period; 国办发〔2018〕118号 and the publication-period rules in legal-rules.md).

Part of a name: ``disclosure.grams`` gives the bigrams of the query; on PostgreSQL an indexed array
containment (GIN over ``string_to_array(search_terms, ' ')``, migration 0004) narrows the candidates
and a substring test on the public name confirms them. With a region, the region's term joins the
bigrams in the same containment, so only the records of that subtree are fetched. On SQLite the
substring test alone is used.

Paging is by keyset (the last row's sort key), so page 1 and page 10,000 cost the same; the total
is counted only up to ``COUNT_LIMIT`` and shown as "more than …" beyond that, or estimated for a
common part of a name (``count()``).
"""

import contextlib
import dataclasses
import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lawenforce.validators import validate_uscc

from . import grams, search_choices
from .models import PenaltyDisclosure

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
COUNT_LIMIT = 1000
MAX_DAYS = 366 * 10  # a date range longer than this is refused as a typo
SORTS = {
    # key: (label, ordering); the fine sort lists only records with a fine (the index is on them).
    "newest": (_("最新决定在前"), ("-decided_on", "-id")),
    "oldest": (_("最早决定在前"), ("decided_on", "id")),
    "fine": (_("罚款金额从高到低"), ("-fine_amount", "-id")),
}


def _choice(label, invalid, **kwargs):
    """An optional choice of agency, region or power item; the queryset is set by the form."""
    return forms.ModelChoiceField(
        label=label,
        required=False,
        queryset=None,
        empty_label=_("全部"),
        error_messages={"invalid_choice": invalid},
        **kwargs,
    )


class PublicSearchForm(forms.Form):
    """The filters of the public search; every field optional, every error in plain Chinese."""

    q = forms.CharField(
        label=_("当事人名称"),
        required=False,
        max_length=64,
        help_text=_("可输入名称的一部分，如“建材”或“宏达”。"),
    )
    uscc = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=18)
    number = forms.CharField(label=_("处罚决定书文号"), required=False, max_length=64)
    # Their querysets and options are set in __init__ (search_choices).
    agency = _choice(_("处罚机关"), _("所选处罚机关不存在，请重新选择。"))
    region = _choice(_("行政区划"), _("所选行政区划不存在，请重新选择。"), help_text=_("含下级区划。"))
    item = _choice(_("违法行为类型"), _("所选违法行为类型不存在，请重新选择。"))
    date_from = forms.DateField(
        label=_("决定日期自"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("“决定日期自”不是有效日期，请按 2026-03-01 的格式填写。")},
    )
    date_to = forms.DateField(
        label=_("决定日期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("“决定日期至”不是有效日期，请按 2026-03-31 的格式填写。")},
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[(key, label) for key, (label, _ordering) in SORTS.items()],
        error_messages={"invalid_choice": _("不支持这种排序方式，请从列表中选择。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The submitted choice is checked against these querysets (read at validation); the
        # displayed options come from the same querysets via search_choices (cached per process)
        # and render as strings.
        options = search_choices.lists()
        for name, queryset in search_choices.querysets().items():
            field = self.fields[name]
            field.queryset = queryset
            field.widget = search_choices.FastSelect()
            field.choices = [("", field.empty_label), *options[name]]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_uscc(self):
        value = self.cleaned_data["uscc"].strip().upper()
        if value:
            validate_uscc(value)  # the national check character (GB 32100-2015)
        return value

    def clean_number(self):
        return self.cleaned_data["number"].strip()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(
                _("“决定日期自”（%(start)s）晚于“决定日期至”（%(end)s），请把较早的日期填在前面。"),
                code="dates_reversed",
                params={"start": start.isoformat(), "end": end.isoformat()},
            )
        if start and end and (end - start).days > MAX_DAYS:
            raise ValidationError(_("日期范围超过十年，请核对年份是否输错。"), code="dates_too_far")
        return data


@dataclasses.dataclass
class Page:
    """One page of rows; the count comes from ``count()``."""

    rows: list
    sort: str
    next_cursor: str | None
    prev_cursor: str | None


def search(data, base=None):
    """The public records matching the cleaned filters ``data``, unordered (``order()`` sorts)."""
    qs = base if base is not None else PenaltyDisclosure.objects.public()
    if data.get("q"):
        qs = filter_name(qs, data["q"], use_index=not walks(data), region=data.get("region"))
    if data.get("uscc"):
        qs = qs.filter(party_uscc=data["uscc"])
    if data.get("number"):
        qs = qs.filter(decision_number=data["number"])
    if data.get("agency"):
        qs = qs.filter(agency=data["agency"])
    if data.get("region"):
        qs = qs.filter(region_path__startswith=data["region"].path)
    if data.get("item"):
        qs = qs.filter(power_item=data["item"])
    if data.get("date_from"):
        qs = qs.filter(decided_on__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(decided_on__lte=data["date_to"])
    if (data.get("sort") or "newest") == "fine":
        qs = qs.filter(fine_amount__isnull=False)
    return qs


def filter_name(qs, text, use_index=True, region=None):
    """Records whose public party name contains ``text`` (case- and width-insensitive); with
    ``region``, the index lookup is narrowed to its subtree too (``search()`` still filters
    ``region_path``, so the result does not depend on the terms)."""
    wanted = grams.query_grams(text)
    if not wanted:
        return qs
    if use_index and connection.vendor == "postgresql":
        # Necessary condition, answered by the GIN index (migration 0004_searchperf).
        terms = wanted + (grams.region_terms(region.path)[-1:] if region is not None else [])
        qs = qs.extra(where=["string_to_array(search_terms, ' ') @> %s::text[]"], params=[terms])
    # The confirmation: the normalised query is a substring of the name (grams ignore order).
    return qs.filter(party_name__icontains=grams.normalise(text))


GIN_INDEX = "disclosure_public_search_terms"
STATS_SECONDS = 600
_stats = {"at": -STATS_SECONDS, "freq": {}, "floor": 0.0, "public": 0}


def _gram_frequencies():
    """{gram: share of published records whose name has it} from PostgreSQL's statistics of the
    GIN index's expression (ANALYZE keeps them), refreshed every STATS_SECONDS; grams not listed
    are rarer than ``floor``."""
    import time

    now = time.monotonic()
    if now - _stats["at"] < STATS_SECONDS:
        return _stats["freq"], _stats["floor"]
    freq, floor = {}, 0.0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = %s AND attname = 'string_to_array'",
            [GIN_INDEX],
        )
        row = cursor.fetchone()
    if row and row[0]:
        elems, freqs = row
        freq = dict(zip(elems, freqs[: len(elems)], strict=True))
        floor = freqs[len(elems)]  # the minimum frequency among the listed elements
    _stats.update(at=now, freq=freq, floor=floor, public=0)
    return freq, floor


def name_selectivity(text):
    """Estimated share of records whose name contains ``text``: the share of its rarest bigram
    (every bigram is necessary, and a rare junction bigram marks a rare combination); 1.0 on
    databases without statistics, 0.0 before the first ANALYZE."""
    if connection.vendor != "postgresql":
        return 1.0
    freq, floor = _gram_frequencies()
    if not freq:
        return 0.0  # no statistics yet: the index is the safe choice
    return min(freq.get(gram, floor / 2) for gram in grams.query_grams(text))


def _public_rows():
    """The planner's estimate of the number of public records, refreshed with the statistics."""
    _gram_frequencies()
    if _stats["public"] <= 0:
        _stats["public"] = max(estimated_rows(PenaltyDisclosure.objects.public()), 1)
    return _stats["public"]


def match_share(data):
    """Estimated share of the public records that match all of ``data``'s filters."""
    share = name_selectivity(data["q"])
    others = {k: v for k, v in data.items() if k not in ("q", "sort") and v}
    if others and share > 0:
        share *= min(estimated_rows(search({**data, "q": ""})) / _public_rows(), 1.0)
    return share


def walks(data):
    """Should a name search walk the sort index instead of asking the name index?

    Walking reads about PAGE_SIZE / m rows for a match share m; the name index (ANDed with the
    other filters' indexes) fetches about m × N rows. Walking wins when m > sqrt(PAGE_SIZE / N):
    a common part of a name (有限公司, 建材 alone), while a rare name or a common one inside a small
    region goes through the index. PostgreSQL cannot make this choice itself: it does not
    estimate ``name ILIKE '%…%'``.
    """
    if not data.get("q") or connection.vendor != "postgresql" or not grams.query_grams(data["q"]):
        return False
    if "_walks" not in data:
        share = name_selectivity(data["q"])
        data["_walks"] = share > 0 and match_share(data) ** 2 > (PAGE_SIZE + 1) / _public_rows()
    return data["_walks"]


def estimated_rows(qs):
    """PostgreSQL's estimate of the number of rows ``qs`` matches (EXPLAIN, no execution)."""
    import json

    sql, params = qs.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


@contextlib.contextmanager
def planned(data):
    """Run the page's queries with the plan that suits a common part of a name.

    PostgreSQL cannot estimate ``name ILIKE '%有限公司%'`` and, thinking it rare, reads and sorts
    every published row; for a common name part the right plan walks the newest-first (or the
    fine) index and stops after one page. Sequential scans, bitmap scans and sorts are switched
    off for this transaction only (and JIT, which the penalised costs would otherwise trigger).
    """
    if not walks(data):
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort", "jit"):
            cursor.execute(f"SET LOCAL {setting} = off")  # noqa: S608 (constant names)
        yield


def count(data, qs, whole=None):
    """(count, more, approximate) for the page's "共 N 条".

    ``whole``: the rows of a first page that has no next page, i.e. every match; then their
    number is the exact count and the database is not asked again.

    Exact up to COUNT_LIMIT (a LIMIT inside the COUNT), "more than COUNT_LIMIT" beyond. For a
    common part of a name on PostgreSQL the exact count would read every match, so the figure is
    an estimate: the name's share (index statistics) times the planner's estimate for the other
    filters, shown as "约 N 条".
    """
    if whole is not None:
        return min(len(whole), COUNT_LIMIT), len(whole) > COUNT_LIMIT, False
    if walks(data):
        return max(int(round(match_share(data) * _public_rows(), -1)), 1), False, True
    total = qs.order_by()[: COUNT_LIMIT + 1].count()
    return min(total, COUNT_LIMIT), total > COUNT_LIMIT, False


def ordering(sort):
    return SORTS.get(sort or "newest", SORTS["newest"])[1]


def _encode(row, sort):
    key = row.fine_amount if sort == "fine" else row.decided_on
    return f"{key.isoformat() if sort != 'fine' else key}_{row.pk}"


def decode_cursor(text, sort):
    """(key, pk) from a cursor, or None when it is malformed (then the first page is shown)."""
    try:
        key, pk = (text or "").rsplit("_", 1)
        pk = int(pk)
        key = Decimal(key) if sort == "fine" else datetime.date.fromisoformat(key)
    except (ValueError, InvalidOperation):
        return None
    if isinstance(key, Decimal) and not key.is_finite():
        return None
    return key, pk


def _after(qs, sort, cursor, backwards=False):
    """Rows strictly after (or before) the cursor in the sort order."""
    field = "fine_amount" if sort == "fine" else "decided_on"
    key, pk = cursor
    descending = sort in ("newest", "fine")
    if backwards:
        descending = not descending
    op = "lt" if descending else "gt"
    return qs.filter(Q(**{f"{field}__{op}": key}) | Q(**{field: key, f"pk__{op}": pk}))


LIST_COLUMNS = (
    "id",
    "public_id",
    "party_name",
    "decision_number",
    "violation_type",
    "fine_amount",
    "agency_name",
    "decided_on",
    "corrected_at",
)


def page(qs, sort="newest", after=None, before=None, size=PAGE_SIZE, columns=LIST_COLUMNS):
    """One keyset page of ``qs`` and the cursors around it (only the listed ``columns`` are read)."""
    sort = sort if sort in SORTS else "newest"
    qs = qs.only(*columns) if columns else qs
    order = ordering(sort)
    size = max(1, min(size, MAX_PAGE_SIZE))
    cursor_after = decode_cursor(after, sort) if after else None
    cursor_before = decode_cursor(before, sort) if before and not cursor_after else None
    if cursor_before:
        reverse = tuple(o[1:] if o.startswith("-") else "-" + o for o in order)
        rows = list(_after(qs, sort, cursor_before, backwards=True).order_by(*reverse)[: size + 1])
        has_prev = len(rows) > size
        rows = rows[:size][::-1]
        has_next = True
    else:
        base = _after(qs, sort, cursor_after) if cursor_after else qs
        rows = list(base.order_by(*order)[: size + 1])
        has_next = len(rows) > size
        rows = rows[:size]
        has_prev = cursor_after is not None
    return Page(
        rows=rows,
        sort=sort,
        next_cursor=_encode(rows[-1], sort) if rows and has_next else None,
        prev_cursor=_encode(rows[0], sort) if rows and has_prev else None,
    )
