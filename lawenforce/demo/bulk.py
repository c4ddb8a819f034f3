"""Generated volume for benchmarks: `seed_demo --size N` adds N agencies with officers and certificates.

Rows are written with bulk_create (no per-row save, no full_clean, no history rows) and are
still valid by construction: credit codes carry a computed check character, certificate
numbers are unique. Agency i is derived from random.Random(f"{SEED}-{i}") alone, so it is the
same whatever N is. Generated agencies are marked by the short name 压测NNNNN (also their
natural key): a re-run skips the ones that exist, and --clear-bulk deletes the whole set.
"""

import random
from dataclasses import dataclass

from django.db import connection

from lawenforce.models import Agency, AgencyKind, Certificate, Officer, PowerItem, Sector

from .agencies import DUTIES, HOTLINE, demo_uscc
from .categories import SECTOR_CATEGORY
from .names import name_generator
from .people import CERT_ISSUER, EXPIRED, REVOKED, SUSPENDED, VALID, certificate_period

SEED = 20260101
MARKER = "压测"
DEFAULT_OFFICERS = 10
BATCH = 1000
# Sector of generated agency i, in turn, with the unit that names it.
UNITS = [
    (Sector.MARKET, "市场监管执法中队"),
    (Sector.ECOLOGY, "生态环境执法中队"),
    (Sector.URBAN, "综合执法中队"),
    (Sector.TRANSPORT, "交通运输执法中队"),
]


@dataclass
class BulkResult:
    agencies: int = 0
    officers: int = 0
    certificates: int = 0
    skipped: int = 0
    deleted: int = 0


def short_name(i):
    return f"{MARKER}{i:05d}"


def generated_agencies():
    return Agency.objects.filter(short_name__startswith=MARKER)


def clear_generated():
    """Delete every generated agency with its officers and certificates; returns how many agencies."""
    agencies = generated_agencies()
    n = agencies.count()
    Certificate.objects.filter(officer__agency__in=agencies).delete()
    Officer.objects.filter(agency__in=agencies).delete()
    agencies.delete()
    return n


def generate(tally, size, per_agency, *, clear=False, regions, categories, items):
    """Add generated agencies 1..size that do not exist yet."""
    result = BulkResult()
    if clear:
        result.deleted = clear_generated()
    if size <= 0:
        return result
    existing = set(generated_agencies().values_list("short_name", flat=True))
    wanted = [i for i in range(1, size + 1) if short_name(i) not in existing]
    result.skipped = size - len(wanted)
    if not wanted:
        return result
    regions = sorted(regions, key=lambda r: r.code)
    full_names = _full_names(regions)
    agencies = [_agency(i, regions[i % len(regions)], full_names) for i in wanted]
    _bulk_create(Agency, agencies, key="uscc")
    officers, cert_plans = _people(wanted, agencies, per_agency)
    _bulk_create(Officer, officers, key=None)
    certificates = [plan(officer) for plan, officer in zip(cert_plans, officers, strict=True)]
    _bulk_create(Certificate, certificates, key="number")
    _link_categories(certificates, officers, agencies, categories)
    _link_power_items(agencies, items)
    result.agencies, result.officers, result.certificates = len(agencies), len(officers), len(certificates)
    tally.count_created(Agency, len(agencies))
    tally.count_created(Officer, len(officers))
    tally.count_created(Certificate, len(certificates))
    return result


def _full_names(regions):
    """Region code -> 济宁市任城区古槐街道, for the agencies' names (one query for all ancestors)."""
    from lawenforce.models import Region

    codes = {c for r in regions for c in r.path.split("/") if c}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    # Drop the province: agency names start at the city, like the real ones.
    return {r.code: "".join(names[c] for c in r.path.split("/")[1:] if c) for r in regions}


def _agency(i, region, full_names):
    sector, unit = UNITS[i % len(UNITS)]
    return Agency(
        name=f"{full_names[region.code]}{unit}（{MARKER}{i:05d}）",
        short_name=short_name(i),
        # The credit code's region part is the county: townships have no 6-digit code of their own.
        uscc=demo_uscc("11", region.code[:6], "BK", i),
        region=region,
        kind=AgencyKind.STATUTORY,
        sector=sector,
        legal_review_unit="法制审核科",
        duties=DUTIES[sector],
        address=f"{full_names[region.code]}（演示地址）",
        complaint_phone=HOTLINE[sector],
    )


def _status(rng):
    roll = rng.random()
    if roll < 0.85:
        return VALID
    if roll < 0.93:
        return EXPIRED
    return SUSPENDED if roll < 0.97 else REVOKED


def _people(indexes, agencies, per_agency):
    """Officers of each generated agency (head first, then a legal reviewer) and a certificate plan for each."""
    officers, plans = [], []
    for i, agency in zip(indexes, agencies, strict=True):
        rng = random.Random(f"{SEED}-{i}")
        names = name_generator(f"{SEED}-names-{i}")
        for j in range(1, per_agency + 1):
            reviewer = j == 2
            officers.append(
                Officer(
                    agency=agency,
                    name=next(names),
                    is_agency_head=j == 1,
                    is_legal_reviewer=reviewer,
                    legal_qualification_no=f"A{2015 + i % 8}{agency.uscc[2:8]}{i:06d}" if reviewer else "",
                    active=rng.random() > 0.02,
                )
            )
            plans.append(_certificate_plan(agency, i, j, _status(rng)))
    return officers, plans


def _certificate_plan(agency, i, j, status):
    # 16 characters: never equal to a hand-made number (11 characters).
    number = f"{agency.uscc[2:8]}9{i:06d}{j:03d}"
    valid_from, valid_to = certificate_period(status, i + j)

    def build(officer):
        return Certificate(
            officer=officer,
            number=number,
            issuer=CERT_ISSUER,
            valid_from=valid_from,
            valid_to=valid_to,
            status=status,
        )

    return build


def _bulk_create(model, objs, key):
    """bulk_create in batches; on databases that cannot return new ids, read them back by `key`."""
    model.objects.bulk_create(objs, batch_size=BATCH)
    if connection.features.can_return_rows_from_bulk_insert or not objs:
        return
    if key is None:  # officers: read back by (agency, name)
        rows = Officer.objects.filter(agency__in=[o.agency_id for o in objs]).values_list("agency_id", "name", "pk")
        ids = {(agency_id, name): pk for agency_id, name, pk in rows}
        for obj in objs:
            obj.pk = ids[(obj.agency_id, obj.name)]
        return
    ids = dict(model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in objs]}).values_list(key, "pk"))
    for obj in objs:
        obj.pk = ids[getattr(obj, key)]


def _link_categories(certificates, officers, agencies, categories):
    through = Certificate.categories.through
    sector_of = {agency.pk: agency.sector for agency in agencies}
    rows = [
        through(
            certificate_id=cert.pk, enforcementcategory_id=categories[SECTOR_CATEGORY[sector_of[officer.agency_id]]].pk
        )
        for cert, officer in zip(certificates, officers, strict=True)
    ]
    through.objects.bulk_create(rows, batch_size=BATCH)


def _link_power_items(agencies, items):
    """Each generated agency holds the demo power items of its sector."""
    through = PowerItem.agencies.through
    rows = [
        through(poweritem_id=item.pk, agency_id=agency.pk)
        for agency in agencies
        for item in items.get(SECTOR_CATEGORY[agency.sector], [])
    ]
    through.objects.bulk_create(rows, batch_size=BATCH)
