"""Published penalty records for the public search tests, built directly (not by the publisher).

``record()`` fills the masked public columns, then public_json, digest and name_grams with
``disclosure.volume.seal`` (the same code the generator uses), so the record is consistent the way a
published one is. ``in_ledger()`` appends its digest to the ledger like the publisher does.
"""

import datetime
import itertools
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from disclosure import volume
from disclosure.models import DisclosureState, PartyCategory, PenaltyDisclosure
from lawenforce.ledger import log
from tests.cases.factories import decided_case

_numbers = itertools.count(1)


def record(world, *, agency=None, state=DisclosureState.PUBLISHED, party_name="济宁宏达建材有限公司", **fields):
    """A disclosure record of ``world`` (a new decided case each time, its party attached)."""
    agency = agency or world.agency
    case = decided_case(world)
    if agency != world.agency:
        case.agency = agency
        case.save(update_fields=["agency"])
    n = next(_numbers)
    decided = fields.pop("decided_on", datetime.date(2026, 3, 2))
    values = {
        "case": case,
        "party": case.parties.first(),
        "agency": agency,
        "power_item": world.power_item,
        "region_path": agency.region.path,
        "decided_on": decided,
        "state": state,
        "published_at": timezone.now() if state != DisclosureState.PENDING else None,
        "publish_until": decided + datetime.timedelta(days=365),
        "party_name": party_name,
        "party_category": PartyCategory.LEGAL_PERSON,
        "party_uscc": "",
        "legal_representative": "王某某",
        "decision_number": f"济任市监罚〔2026〕{n}号",
        "violation_type": "经营超过保质期的食品",
        "facts": "经营超过保质期的食品。",
        "basis": "《中华人民共和国食品安全法》第一百二十四条第一款",
        "penalty_category": "罚款",
        "penalty_content": "罚款人民币10000元",
        "fine_amount": Decimal("10000.00"),
        "agency_name": agency.name,
        "agency_uscc": agency.uscc,
        "source_name": agency.name,
        "source_uscc": agency.uscc,
        **fields,
    }
    obj = PenaltyDisclosure(**values)
    volume.seal(obj)
    obj.save()
    return obj


def in_ledger(obj):
    """Append the record's digest to the ledger, as the publisher does, and keep the index."""
    with transaction.atomic():
        entry = log.append(
            "disclosure.publish",
            {"digest": obj.digest, "algorithm": obj.digest_algorithm, "revision": obj.revision},
            obj=obj,
        )
        obj.ledger_index = entry.index
        obj.save(update_fields=["ledger_index"])
    return obj
