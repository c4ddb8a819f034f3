"""Generated published penalty records for the demo and the search benchmark (``seed_public_records``).

Deterministic (seeded ``random.Random``): company names built from the agency's region, a word, a
trade and a company form (济宁宏达建材有限公司), individual businesses (任城区鑫源五金经营部), and
natural persons already masked as the rules require (张某某, no ID number, no address); violation
types are the demo's penalty power items; decisions are spread over the last three years; about
2 % are withdrawn and 3 % past their publication period (state expired).

The records are *generated public copies*, not the output of the publishing pipeline
(disclosure.publishing builds real ones from decided cases): each hangs on one generated decided
case per agency (title prefix 公示压测, party left empty), and its public_json, digest and
name_grams are filled by ``seal()`` consistently, so search, detail, exports and the browser check
work on them. The generator keeps the longest publication period (3 years) so that all three years
stay searchable. ``ledger=True`` also appends each record's digest to the ledger and signs a
checkpoint (the demo: every detail page can be verified); the 1,000,000-row benchmark skips it.

PostgreSQL: rows go in with COPY (psycopg 3), 1,000,000 in a few minutes; elsewhere bulk_create
in batches of 5,000. Never run this on production data.
"""

import datetime
import random
import uuid
from decimal import Decimal

from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import is_psycopg3  # which driver Django loaded
from django.utils import timezone

from cases.models import Case, CaseState, DecisionKind, Procedure
from lawenforce.ledger import keys
from lawenforce.models import Agency, Officer, PowerItem
from lawenforce.models.catalogue import ActionCategory
from lawenforce.validators import USCC_CHARS, uscc_check_char

from . import publishing
from .models import DisclosureState, PartyCategory, PenaltyDisclosure

MARKER = "公示压测"
BATCH = 5000
YEARS = 3
WORDS = (
    "宏达 鑫源 华泰 恒通 金鼎 瑞丰 兴隆 博远 盛世 天成 永安 福瑞 中信 东方 长城 新星 佳和 润泽 德润 泰和 "
    "万家 众诚 汇丰 宝隆 锦程 顺达 嘉禾 安康 百川 明珠 和谐 旭日 腾飞 海纳 昌盛 富源 信达 康宁 乐家 同心"
).split()
TRADES = (
    "建材 食品 餐饮 五金 医药 商贸 物流 农业 服装 电子 机械 化工 建筑 装饰 广告 酒店 超市 药房 汽修 "
    "纺织 印刷 环保 能源 科技 文化 旅游 水产 粮油 茶叶 烟酒"
).split()
COMPANY_FORMS = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "商贸有限公司"]
SHOP_FORMS = ["经营部", "商店", "门市部", "饭店", "诊所", "批发部", "加工坊"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
FINES = [Decimal(v) for v in ("500", "1000", "2000", "3000", "5000", "8000", "10000", "20000", "50000", "100000")]
FACTS = [
    "经营超过保质期的食品，货值金额较小。",
    "未取得许可擅自从事经营活动。",
    "发布含有虚假内容的广告。",
    "销售不符合保障人体健康标准的产品。",
    "未按规定明码标价。",
    "未按规定建立并执行进货查验记录制度。",
]


def seal(record, algorithm=None):
    """Fill public_json, digest and the search columns exactly as the publisher does (one definition
    of the published document: ``publishing.seal``); the algorithm is passed in so that a bulk load
    does not ask the database for it once per record."""
    publishing.seal(record, algorithm=algorithm or keys.hash_algorithm())
    return record


def make_uscc(rng, region_code):
    body = "91" + (region_code or "370800")[:6] + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    return body + uscc_check_char(body)


def _party(rng, place):
    r = rng.random()
    if r < 0.7:
        name = f"{place}{rng.choice(WORDS)}{rng.choice(TRADES)}{rng.choice(COMPANY_FORMS)}"
        return name, PartyCategory.LEGAL_PERSON, True, rng.choice(SURNAMES) + "某某"
    if r < 0.85:
        name = f"{place}{rng.choice(WORDS)}{rng.choice(TRADES)}{rng.choice(SHOP_FORMS)}"
        return name, PartyCategory.INDIVIDUAL_BUSINESS, True, ""
    return rng.choice(SURNAMES) + "某某", PartyCategory.NATURAL_PERSON, False, ""


def _carrier_cases(agencies, staff, today):
    """One generated decided case per agency for the records to hang on (Case is required)."""
    existing = dict(
        Case.objects.filter(title__startswith=MARKER, agency__in=[a.pk for a in agencies]).values_list(
            "agency_id", "pk"
        )
    )
    new = []
    for agency in agencies:
        if agency.pk in existing:
            continue
        day = today - datetime.timedelta(days=30)
        new.append(
            Case(
                agency_id=agency.pk,
                procedure=Procedure.ORDINARY,
                state=CaseState.DECIDED,
                title=f"{MARKER}（生成的公示记录所属案件）",
                lead_received_on=day - datetime.timedelta(days=60),
                filed_on=day - datetime.timedelta(days=55),
                registered_by_id=staff[agency.pk],
                lead_summary=MARKER,
                number=f"{MARKER}立〔{day.year}〕{agency.pk}号",
                decided_on=day,
                decision_kind=DecisionKind.PENALTY,
                decision_number=f"{MARKER}罚〔{day.year}〕{agency.pk}号",
                penalty_kinds=["fine"],
                fine_amount=Decimal("1000"),
            )
        )
    Case.objects.bulk_create(new)
    existing.update(
        Case.objects.filter(title__startswith=MARKER, agency__in=[a.pk for a in agencies]).values_list(
            "agency_id", "pk"
        )
    )
    return existing


def _record(rng, i, agency, item, case_id, today, now, algorithm):
    place = agency.region.name.removesuffix("市").removesuffix("区").removesuffix("县")[:3]
    name, category, has_uscc, representative = _party(rng, place)
    decided = today - datetime.timedelta(days=rng.randint(0, 365 * YEARS - 1))
    fine = rng.choice(FINES) if rng.random() < 0.9 else None
    confiscated = Decimal(rng.randint(1, 500) * 100) if rng.random() < 0.2 else None
    r = rng.random()
    state = (
        DisclosureState.WITHDRAWN if r < 0.02 else DisclosureState.EXPIRED if r < 0.05 else DisclosureState.PUBLISHED
    )
    until = decided + datetime.timedelta(days=365 * YEARS)
    published_at = timezone.make_aware(
        datetime.datetime.combine(decided + datetime.timedelta(days=2), datetime.time(10))
    )
    record = PenaltyDisclosure(
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        case_id=case_id,
        agency_id=agency.pk,
        power_item_id=item.pk if item else None,
        region_path=agency.region.path,
        decided_on=decided,
        publish_due_on=decided + datetime.timedelta(days=9),
        published_at=min(published_at, now),
        state=state,
        publish_until=until if state != DisclosureState.EXPIRED else min(until, today - datetime.timedelta(days=1)),
        party_name=name,
        party_category=category,
        party_uscc=make_uscc(rng, agency.region.code) if has_uscc else "",
        legal_representative=representative,
        decision_number=f"{agency.short_name or agency.name[:4]}罚〔{decided.year}〕{i}号",
        violation_type=item.name.removeprefix("对").removesuffix("的行政处罚") if item else "其他违法行为",
        facts=rng.choice(FACTS),
        basis=f"《{item.name if item else '相关法律'}》所依据的法律规定",
        penalty_category="罚款" if fine else "警告",
        penalty_content=f"罚款人民币{fine}元" if fine else "警告",
        fine_amount=fine,
        confiscated_amount=confiscated,
        agency_name=agency.name,
        agency_uscc=agency.uscc,
        source_name=agency.name,
        source_uscc=agency.uscc,
    )
    if state == DisclosureState.WITHDRAWN:
        record.withdrawn_at = now
        record.withdraw_reason = "该行政处罚决定已被行政复议机关撤销。"
    elif state == DisclosureState.EXPIRED:
        record.expired_at = now
    return seal(record, algorithm)


def _copy(records):
    """COPY the batch into PostgreSQL (psycopg 3): an order of magnitude faster than INSERT."""
    fields = [f for f in PenaltyDisclosure._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    table = PenaltyDisclosure._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 (model metadata)
            for record in records:
                record.created_at = record.updated_at = now
                copy.write_row([f.get_db_prep_save(getattr(record, f.attname), connection) for f in fields])


def generate(count, seed=20261205, today=None, ledger=False):
    """Add ``count`` generated records over the enforcing agencies; returns the number made."""
    rng = random.Random(seed + PenaltyDisclosure.objects.count())
    today = today or timezone.localdate()
    now = timezone.now()
    staff = dict(
        Officer.objects.filter(active=True, agency__in=Agency.objects.active().exclude(sector="justice"))
        .order_by("agency_id", "pk")
        .values_list("agency_id", "pk")
    )
    agencies = list(Agency.objects.filter(pk__in=staff).select_related("region").order_by("pk"))
    if not agencies:
        raise ValueError("没有在职执法人员的执法主体：请先运行 seed_demo。")
    items = list(PowerItem.objects.filter(action_category=ActionCategory.PENALTY, active=True).order_by("pk")[:200])
    algorithm = keys.hash_algorithm()
    cases = _carrier_cases(agencies, staff, today)
    connection.ensure_connection()
    copy = connection.vendor == "postgresql" and is_psycopg3  # COPY below is psycopg 3's
    offset = PenaltyDisclosure.objects.count()
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        batch = []
        for k in range(n):
            agency = rng.choice(agencies)
            item = rng.choice(items) if items else None
            batch.append(_record(rng, offset + made + k + 1, agency, item, cases[agency.pk], today, now, algorithm))
        with transaction.atomic():
            if copy and not ledger:
                _copy(batch)
            else:
                PenaltyDisclosure.objects.bulk_create(batch, batch_size=BATCH)
            if ledger:
                _record_in_ledger(batch)
        made += n
    if ledger:
        from lawenforce.ledger import log

        log.make_checkpoint()
    return made


def _record_in_ledger(batch):
    """Append each record's digest to the ledger (as the publisher does) and keep the index."""
    from lawenforce.ledger import log

    saved = {r.public_id: r.pk for r in PenaltyDisclosure.objects.filter(public_id__in=[b.public_id for b in batch])}
    for record in batch:
        record.pk = saved[record.public_id]
        entry = log.append(
            "disclosure.publish",
            {"digest": record.digest, "algorithm": record.digest_algorithm, "revision": record.revision},
            obj=record,
        )
        record.ledger_index = entry.index
    PenaltyDisclosure.objects.bulk_update(batch, ["ledger_index"], batch_size=BATCH)
