"""The masking rules of a published penalty record, in one place (legal-rules.md, "Disclosure of
penalty records (双公示) and personal data"; 《行政处罚法》第五十条; 《个人信息保护法》).

- A natural person's ID number, address and phone number are never published: they are not among
  the public columns at all, and ``scrub`` removes them from every free-text column.
- A natural person's name is masked to 张某某 unless the law requires publishing that person
  (``name_by_law``); the name of an individual business (a trade name) is published, its
  operator's name is masked.
- Minors and protected matters are not published at all (``disclosure.policy.exemption``).
- Amounts are Decimal yuan on the page; ``to_wan`` gives the 10,000-yuan units of the national
  data exchange format.

``scrub`` is the last line of defence for text an officer typed (facts, decision text, the case
title): it removes every 18-digit (and old 15-digit) ID number, every mobile number and landline,
with full-width digits and separators inside, and every known personal value of the case's
natural-person parties (ID number, phone, address, name).
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.models import PartyKind
from lawenforce.validators import validate_resident_id, validate_uscc

from .models import PartyCategory

ID_MASK = "［身份证号码已隐去］"
PHONE_MASK = "［电话号码已隐去］"
ADDRESS_MASK = "［住址已隐去］"
ADDRESS_TAIL = 6

_D = "[0-9０-９]"  # ASCII and full-width digits
_SEP = "[ \u3000\\-‐－—_.·]?"  # a separator someone may put between digits to dodge a filter


def _digits(n):
    return _SEP.join([_D] * n)


# 18-digit resident ID (last character a digit or X), then the 15-digit form of the 1980s cards.
_ID18 = re.compile(rf"(?<![0-9０-９]){_digits(17)}{_SEP}[0-9０-９XxＸｘ](?![0-9０-９])")
_ID15 = re.compile(rf"(?<![0-9０-９]){_digits(15)}(?![0-9０-９])")
# Mobile numbers: 1 + 10 digits, with an optional +86 / 0086 / 86 country prefix.
_MOBILE = re.compile(
    rf"(?<![0-9０-９])(?:(?:[+＋]|00)?[8８][6６]{_SEP})?[1１]{_SEP}[3-9３-９]{_SEP}{_digits(9)}(?![0-9０-９])"
)
# Landlines: area code 0xx / 0xxx, a separator, 7 or 8 digits.
_LANDLINE = re.compile(rf"(?<![0-9０-９])[0０]{_D}{{2,3}}[ \-‐－—)）]?{_D}{{7,8}}(?![0-9０-９])")


def mask_name(name):
    """张三 → 张某某; 欧阳小明 → 欧阳某某 (two-character surnames are kept whole)."""
    name = (name or "").strip()
    if not name:
        return ""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]
    return f"{surname}某某"


COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 百里".split()
)


def party_category(kind):
    if kind == PartyKind.NATURAL_PERSON:
        return PartyCategory.NATURAL_PERSON
    if kind == PartyKind.INDIVIDUAL_BUSINESS:
        return PartyCategory.INDIVIDUAL_BUSINESS
    return PartyCategory.LEGAL_PERSON


def public_party(party, name_by_law=False):
    """The public columns of a party: name, category, credit code, legal representative.

    Nothing else of the party is read: its ID number, address and phone never leave the case."""
    if party is None:
        return {"party_name": "", "party_category": "", "party_uscc": "", "legal_representative": ""}
    category = party_category(party.kind)
    if category == PartyCategory.NATURAL_PERSON:
        return {
            "party_name": party.name.strip() if name_by_law else mask_name(party.name),
            "party_category": category,
            "party_uscc": "",
            "legal_representative": "",
        }
    if category == PartyCategory.INDIVIDUAL_BUSINESS:
        # The trade name is public; the operator is a natural person.
        return {
            "party_name": party.name.strip(),
            "party_category": category,
            "party_uscc": party.uscc,
            "legal_representative": mask_name(party.legal_representative),
        }
    return {
        "party_name": party.name.strip(),
        "party_category": category,
        "party_uscc": party.uscc,
        "legal_representative": party.legal_representative.strip(),
    }


def personal_values(parties):
    """(value, replacement) pairs of the natural persons' details that must not appear in public text,
    longest first so that a full address is replaced before a part of it."""
    pairs = []
    for party in parties:
        if party.kind == PartyKind.NATURAL_PERSON:
            values = [(party.id_number, ID_MASK), (party.phone, PHONE_MASK), (party.address, ADDRESS_MASK)]
            if len(party.name.strip()) >= 2:
                values.append((party.name.strip(), mask_name(party.name)))
        elif party.kind == PartyKind.INDIVIDUAL_BUSINESS:
            # The operator's own details are a natural person's.
            values = [(party.id_number, ID_MASK), (party.phone, PHONE_MASK)]
            if len(party.legal_representative.strip()) >= 2:
                values.append((party.legal_representative.strip(), mask_name(party.legal_representative)))
        else:
            values = []
        # A name already in masked form (张某 → 张某某) is no secret, and replacing it would stutter.
        pairs.extend((v.strip(), r) for v, r in values if v and v.strip() and v.strip() not in r)
        if party.kind == PartyKind.NATURAL_PERSON and party.address.strip():
            # An officer often writes the address without its province and city: every tail of it
            # (at least ADDRESS_TAIL characters, so always with the street or village) is masked too.
            address = party.address.strip()
            pairs.extend((address[i:], ADDRESS_MASK) for i in range(1, len(address) - ADDRESS_TAIL + 1))
    return sorted(set(pairs), key=lambda pair: -len(pair[0]))


def _is_valid(validator, value):
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _is_organisation_code(run):
    """True when an 18-digit run is an organisation's credit code rather than a person's ID number.

    A USCC may be all digits (an agency's, say), and agencies' and companies' codes are public
    (they are data items of the record). A run counts as a code only when its USCC check character
    is right and it is not a plausible resident ID (GB 11643: region, birth date, check digit);
    anything else, a mistyped ID number included, is treated as personal and masked."""
    value = unicodedata.normalize("NFKC", run)
    value = re.sub(r"[^0-9Xx]", "", value).upper()
    return _is_valid(validate_uscc, value) and not _is_valid(validate_resident_id, value)


def _mask_id18(match):
    return match.group() if _is_organisation_code(match.group()) else ID_MASK


def scrub(text, parties=()):
    """``text`` without ID numbers, phone numbers or the natural-person parties' details."""
    text = text or ""
    for value, replacement in personal_values(parties):
        text = text.replace(value, replacement)
    text = _ID18.sub(_mask_id18, text)
    text = _ID15.sub(ID_MASK, text)
    text = _MOBILE.sub(PHONE_MASK, text)
    text = _LANDLINE.sub(PHONE_MASK, text)
    return text.strip()


def leaks(text, parties=()):
    """What in ``text`` would still be personal after masking: used by tests and by the correction
    form, which refuses a corrected text that brings an ID number or phone number back."""
    found = []
    if any(not _is_organisation_code(m.group()) for m in _ID18.finditer(text or "")) or _ID15.search(text or ""):
        found.append(_("身份证号码"))
    if _MOBILE.search(text or "") or _LANDLINE.search(text or ""):
        found.append(_("电话号码"))
    for value, replacement in personal_values(parties):
        if value in (text or ""):
            label = {ID_MASK: _("身份证号码"), PHONE_MASK: _("电话号码"), ADDRESS_MASK: _("住址")}.get(
                replacement, _("自然人姓名")
            )
            if label not in found:
                found.append(label)
    return found


WAN = Decimal("10000")


def to_wan(amount):
    """Yuan → 10,000-yuan units of the national exchange format (six decimals: down to the cent)."""
    if amount is None:
        return None
    return (Decimal(amount) / WAN).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def from_wan(amount):
    """10,000-yuan units → yuan, to the cent."""
    if amount is None:
        return None
    return (Decimal(amount) * WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
