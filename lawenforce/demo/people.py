"""Officers, their certificates and the demo logins.

Every enforcing agency gets a head, a legal reviewer and certified officers; a few certificates
are expired, suspended or revoked so that the certificate checks have something to refuse.
Justice bureaus get supervisors (they carry no enforcement certificate).
"""

import datetime
from dataclasses import dataclass

from lawenforce.models import AgencyStatus, CertificateStatus

from .agencies import AGENCIES
from .names import name_generator

DEMO_PASSWORD = "Demo@2026!"  # noqa: S105 -- the documented password of the demo logins, never production
CERT_ISSUER = "山东省人民政府"
VALID, EXPIRED = CertificateStatus.VALID, CertificateStatus.EXPIRED
SUSPENDED, REVOKED = CertificateStatus.SUSPENDED, CertificateStatus.REVOKED
# The "problem" certificate of each ordinary agency, in turn.
PROBLEMS = (EXPIRED, SUSPENDED, REVOKED)


@dataclass(frozen=True)
class OfficerSpec:
    name: str
    certs: tuple = (VALID,)  # statuses of this officer's certificates, oldest first
    head: bool = False
    reviewer: bool = False
    supervisor: bool = False
    active: bool = True
    login: str = ""


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    agency_key: str = ""
    superuser: bool = False


DEMO_LOGINS = [
    Login("admin", "系统管理员", superuser=True),
    Login("officer", "执法人员", "rc_market"),
    Login("head", "机关负责人", "rc_market"),
    Login("reviewer", "法制审核人员", "rc_market"),
    Login("supervisor", "执法监督人员（济宁市）", "jn_justice"),
    Login("county_supervisor", "执法监督人员（任城区）", "rc_justice"),
    Login("eco_officer", "执法人员", "jn_ecology"),
    Login("expired_officer", "执法人员（执法证已过期）", "rc_market"),
]

# Agencies whose roster is written out, because demo logins belong to them.
EXPLICIT = {
    "rc_market": [
        OfficerSpec("王建国", head=True, login="head"),
        OfficerSpec("赵雪", reviewer=True, login="reviewer"),
        OfficerSpec("李明", login="officer"),
        OfficerSpec("孙浩", certs=(EXPIRED,), login="expired_officer"),
    ],
    "jn_ecology": [OfficerSpec("陈静", login="eco_officer")],
    "jn_justice": [OfficerSpec("刘洋", certs=(), supervisor=True, login="supervisor")],
    "rc_justice": [OfficerSpec("周敏", certs=(), supervisor=True, login="county_supervisor")],
}
# Extra officers of 任城区 market regulation: one of each certificate trouble, a renewal, a transfer.
RC_MARKET_EXTRA = [
    dict(certs=(VALID,)),
    dict(certs=(EXPIRED, VALID)),
    dict(certs=(SUSPENDED,)),
    dict(certs=(REVOKED,)),
    dict(certs=(VALID,), active=False),
]


def _generated(spec, taken):
    """Names for one agency that do not repeat the written-out ones."""
    for name in name_generator(f"demo-officers-{spec.no}"):
        if name not in taken:
            yield name


def roster(spec):
    """All OfficerSpecs of the agency `spec`, in a fixed order."""
    explicit = EXPLICIT.get(spec.key, [])
    names = _generated(spec, {o.name for o in explicit})
    if not spec.is_enforcing:
        has_head = any(o.head for o in explicit)
        # Supervisors carry no enforcement certificate: they watch, they do not enforce.
        extra = [] if has_head else [OfficerSpec(next(names), certs=(), head=True, supervisor=True)]
        return explicit + extra + [OfficerSpec(next(names), certs=(), supervisor=True) for _ in range(2)]
    if spec.status == AgencyStatus.DISSOLVED:
        # Staff of a dissolved agency: off duty, certificates long expired.
        return [OfficerSpec(next(names), certs=(EXPIRED,), active=False) for _ in range(2)]
    if spec.key == "rc_market":
        return explicit + [OfficerSpec(next(names), **extra) for extra in RC_MARKET_EXTRA]
    officers = list(explicit)
    if not any(o.head for o in officers):
        officers.append(OfficerSpec(next(names), head=True))
    if not any(o.reviewer for o in officers):
        officers.append(OfficerSpec(next(names), reviewer=True))
    officers += [OfficerSpec(next(names)) for _ in range(3)]
    officers.append(OfficerSpec(next(names), certs=(PROBLEMS[spec.no % len(PROBLEMS)],)))
    if spec.no % 2 == 0:
        officers.append(OfficerSpec(next(names), certs=(EXPIRED, VALID)))
    return officers


def certificate_number(region_code, agency_no, seq):
    """11 digits: region code, agency serial, sequence within the agency (invented numbering)."""
    return f"{region_code[:6]}{agency_no:02d}{seq:03d}"


def certificate_period(status, seq):
    """(valid_from, valid_to): five-year terms; expired ones ended in 2023, current ones run past 2027."""
    if status == EXPIRED:
        return datetime.date(2018, 7, 1), datetime.date(2023, 6, 30)
    start = datetime.date(2023 + seq % 3, 1 + (seq * 5) % 12, 1)
    return start, datetime.date(start.year + 5, start.month, 1) - datetime.timedelta(days=1)


def qualification_number(region_code, agency_no, seq):
    """An invented 法律职业资格证书 number: A + year + region + serial."""
    return f"A{2015 + agency_no % 8}{region_code[:6]}{agency_no:02d}{seq:03d}"


def all_rosters():
    """(AgencySpec, [OfficerSpec]) for every demo agency."""
    return [(spec, roster(spec)) for spec in AGENCIES]
