"""Builds the demo jurisdiction, idempotently, in one transaction.

Each `build_*` function writes one kind of data through `Tally.upsert`, keyed by natural keys:
region code, agency name, username, (agency, officer name), certificate number, law name,
(law, article, paragraph, item), power item code, (power item, violation, circumstance).
"""

from dataclasses import dataclass, field

from axes.models import AccessAttempt
from axes.utils import reset as reset_axes_lockouts
from django.contrib.auth import get_user_model
from django.db import transaction

from lawenforce.models import (
    Agency,
    Certificate,
    DiscretionStandard,
    EnforcementCategory,
    Law,
    LegalProvision,
    Officer,
    PowerItem,
    Region,
)

from . import bulk
from .agencies import AGENCIES, BY_KEY, values_for
from .catalogue import POWER_ITEMS
from .categories import REFERENCE_CATEGORIES, SECTOR_CATEGORY
from .laws import LAWS
from .people import (
    CERT_ISSUER,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    all_rosters,
    certificate_number,
    certificate_period,
    qualification_number,
)
from .records import Tally
from .regions import REGIONS


@dataclass
class SeedResult:
    tally: Tally
    logins: list = field(default_factory=list)  # (username, role, agency name)
    generated: bulk.BulkResult | None = None


def run(size=0, officers_per_agency=bulk.DEFAULT_OFFICERS, clear_bulk=False):
    """Build (or bring up to date) the whole demo set; returns what was done."""
    tally = Tally()
    with transaction.atomic():
        categories = build_categories(tally)
        regions = build_regions(tally)
        agencies = build_agencies(tally, regions)
        users = build_users(tally)
        build_officers(tally, agencies, categories, users)
        provisions = build_laws(tally)
        items = build_catalogue(tally, agencies, categories, provisions)
        bulk_result = bulk.generate(
            tally,
            size,
            officers_per_agency,
            clear=clear_bulk,
            regions=[r for r in regions.values() if r.level >= 3],
            categories=categories,
            items=items,
        )
    logins = [
        (login.username, login.role, BY_KEY[login.agency_key].name if login.agency_key else "—")
        for login in DEMO_LOGINS
    ]
    return SeedResult(tally, logins, bulk_result)


def build_categories(tally):
    return {
        code: tally.upsert(EnforcementCategory, {"code": code}, {"name": name}) for code, name in REFERENCE_CATEGORIES
    }


def build_regions(tally):
    regions = {}
    for code, name, level, parent in REGIONS:
        values = {"name": name, "level": level, "parent": regions.get(parent)}
        regions[code] = tally.upsert(Region, {"code": code}, values)
    return regions


def _full_name(code):
    """ "山东省济宁市任城区古槐街道" from the demo region list, without extra queries."""
    by_code = {c: (name, parent) for c, name, _level, parent in REGIONS}
    parts = []
    while code:
        name, code = by_code[code]
        parts.append(name)
    return "".join(reversed(parts))


def build_agencies(tally, regions):
    agencies = {}
    for spec in AGENCIES:  # entrusting agencies come before the organisations they entrust
        entrusting = agencies[spec.entrusted_by] if spec.entrusted_by else None
        values = values_for(spec, regions[spec.region], entrusting, _full_name(spec.region))
        agencies[spec.key] = tally.upsert(Agency, {"name": spec.name}, values)
    return agencies


def build_users(tally):
    """The demo logins. The demo password is set on creation and restored whenever it no longer matches."""
    User = get_user_model()
    users = {}
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first()
        created = user is None
        user = user or User(username=login.username)
        flags = {"is_superuser": login.superuser, "is_staff": login.superuser, "is_active": True}
        changed = created or any(getattr(user, k) != v for k, v in flags.items())
        for name, value in flags.items():
            setattr(user, name, value)
        # check_password first: re-hashing an unchanged password would rewrite the row on every run.
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed = True
        if changed:
            user.full_clean()
            user.save()
            (tally.created if created else tally.updated)[User] += 1
        # A demo login locked out by django-axes after wrong guesses would not "always work".
        if AccessAttempt.objects.filter(username=login.username).exists():
            reset_axes_lockouts(username=login.username)
        users[login.username] = user
    return users


def build_officers(tally, agencies, categories, users):
    for spec, roster in all_rosters():
        agency = agencies[spec.key]
        category = categories.get(SECTOR_CATEGORY.get(spec.sector, ""))
        cert_seq = 0  # certificate numbers run per agency, in roster order, so they stay stable
        for index, person in enumerate(roster, start=1):
            officer = _build_officer(tally, spec, agency, person, users.get(person.login), index)
            for status in person.certs:
                cert_seq += 1
                _build_certificate(tally, spec, officer, status, category, cert_seq)


def _build_officer(tally, spec, agency, person, user, seq):
    if user is not None:
        # One login, one officer: free the account if an edited database linked it elsewhere.
        Officer.objects.filter(user=user).exclude(agency=agency, name=person.name).update(user=None)
    values = {
        "user": user,
        "is_agency_head": person.head,
        "is_legal_reviewer": person.reviewer,
        "legal_qualification_no": qualification_number(spec.region, spec.no, seq) if person.reviewer else "",
        "is_supervisor": person.supervisor,
        "active": person.active,
    }
    return tally.upsert(Officer, {"agency": agency, "name": person.name}, values)


def _build_certificate(tally, spec, officer, status, category, seq):
    valid_from, valid_to = certificate_period(status, seq)
    values = {
        "officer": officer,
        "issuer": CERT_ISSUER,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "status": status,
    }
    number = certificate_number(spec.region, spec.no, seq)
    cert = tally.upsert(Certificate, {"number": number}, values)
    tally.set_related(cert, "categories", [category] if category else [])


def build_laws(tally):
    """Laws and provisions; returns provisions keyed by (law key, article, paragraph, item)."""
    provisions = {}
    for spec in LAWS:
        values = {
            "level": spec.level,
            "issuer": spec.issuer,
            "effective_from": spec.effective_from,
            "version_note": spec.version_note,
        }
        law = tally.upsert(Law, {"name": spec.name}, values)
        for article, paragraph, item, text in spec.provisions:
            lookup = {"law": law, "article": article, "paragraph": paragraph, "item": item}
            provision = tally.upsert(LegalProvision, lookup, {"text": text})
            provisions[(spec.key, article, paragraph, item)] = provision
    return provisions


def build_catalogue(tally, agencies, categories, provisions):
    """Power items with their holders, legal bases and discretion standards; returns items by category code."""
    by_category = {}
    for spec in POWER_ITEMS:
        values = {
            "name": spec.name,
            "action_category": spec.action_category,
            "enforcement_category": categories[spec.category],
            "active": True,
        }
        item = tally.upsert(PowerItem, {"code": spec.code}, values)
        holders = [agencies[key] for key in spec.holders]
        # Generated (压测) agencies hold items too; the hand-made list must not unlink them.
        holders += list(item.agencies.filter(short_name__startswith=bulk.MARKER))
        tally.set_related(item, "agencies", holders)
        tally.set_related(item, "provisions", [provisions[ref] for ref in spec.provisions])
        for standard in spec.standards:
            lookup = {"power_item": item, "violation": standard.violation, "circumstance": standard.circumstance}
            tally.upsert(DiscretionStandard, lookup, standard.values())
        by_category.setdefault(spec.category, []).append(item)
    return by_category
