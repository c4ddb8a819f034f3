"""Open data (开放数据): the published penalty records as CSV and JSON, streamed.

The columns are the masked public copy only (the national 双公示 data items), listed once here and
used by the CSV, the JSON, the API serializer and the detail page; nothing from the live case row
and no internal field (ledger index, case or party keys) is ever exported. Rows come from
``disclosure.search.search()`` with the same filters as the search page, so only records
``PenaltyDisclosure.objects.public()`` finds are exported.
"""

import csv
import json

from django.utils.translation import gettext_lazy as _

# (field, Chinese header) of every published data item, in the national standard's order.
PUBLIC_COLUMNS = [
    ("public_id", _("公开编号")),
    ("party_name", _("行政相对人名称")),
    ("party_category", _("行政相对人类别")),
    ("party_uscc", _("统一社会信用代码")),
    ("legal_representative", _("法定代表人")),
    ("decision_number", _("行政处罚决定书文号")),
    ("violation_type", _("违法行为类型")),
    ("facts", _("违法事实")),
    ("basis", _("处罚依据")),
    ("penalty_category", _("处罚类别")),
    ("penalty_content", _("处罚内容")),
    ("fine_amount", _("罚款金额（元）")),
    ("confiscated_amount", _("没收违法所得、没收非法财物的金额（元）")),
    ("licence_note", _("暂扣或吊销证照名称及编号")),
    ("decided_on", _("处罚决定日期")),
    ("agency_name", _("处罚机关")),
    ("agency_uscc", _("处罚机关统一社会信用代码")),
    ("source_name", _("数据来源单位")),
    ("source_uscc", _("数据来源单位统一社会信用代码")),
    ("publish_until", _("公示截止期")),
    ("corrected_at", _("最近更正时间")),
    ("remarks", _("备注")),
    ("digest", _("公示内容摘要")),
]
FIELDS = [field for field, _label in PUBLIC_COLUMNS]
CHUNK = 2000


def display(record, field):
    """A column's value for the page: the Chinese label of a choice, else the value itself."""
    if record._meta.get_field(field).choices:
        return getattr(record, f"get_{field}_display")()
    return getattr(record, field)


def rows(qs):
    """Tuples of the public columns, newest first, read in chunks (flat memory)."""
    return qs.order_by("-decided_on", "-id").values_list(*FIELDS).iterator(chunk_size=CHUNK)


def _text(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)  # Decimal keeps its scale: "10000.00"


class _Echo:
    def write(self, value):
        return value


def csv_lines(qs):
    """UTF-8 CSV with a byte-order mark, so that Excel shows the Chinese headers correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(label) for _field, label in PUBLIC_COLUMNS])
    for row in rows(qs):
        yield writer.writerow([_text(v) for v in row])


def json_chunks(qs, meta):
    """One JSON document {"meta": …, "records": [ … ]}, written record by record."""
    yield '{"meta":' + json.dumps(meta, ensure_ascii=False) + ',"records":['
    first = True
    for row in rows(qs):
        item = {field: (None if v is None else _text(v)) for field, v in zip(FIELDS, row, strict=True)}
        yield ("" if first else ",") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "]}"
