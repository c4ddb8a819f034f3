"""Enforcement agencies (执法主体) of the demo jurisdiction and the justice bureaus over them.

The names follow the real agencies of 济宁市 and 菏泽市, but every credit code is invented:
`demo_uscc` builds a well-formed code (correct check character) that is marked as demo data
by the letters "DM" in the organisation-code part, so it cannot be mistaken for a real one.
"""

from dataclasses import dataclass

from lawenforce.models import AgencyKind, AgencyStatus, Sector
from lawenforce.validators import uscc_check_char

S, A, E = AgencyKind.STATUTORY, AgencyKind.AUTHORISED, AgencyKind.ENTRUSTED

# Hotlines: 12315 market regulation, 12369 environment, 12319 urban management,
# 12328 transport, 12348 public legal services (justice bureaus).
HOTLINE = {
    Sector.MARKET: "12315",
    Sector.ECOLOGY: "12369",
    Sector.URBAN: "12319",
    Sector.TRANSPORT: "12328",
    Sector.JUSTICE: "12348",
}

DUTIES = {
    Sector.MARKET: "负责本行政区域市场综合监督管理，依法查处食品安全、产品质量、广告等领域的违法行为。",
    Sector.ECOLOGY: "负责本行政区域生态环境监督管理，依法查处大气、水、固体废物等环境违法行为。",
    Sector.URBAN: "集中行使城市管理、市容环境卫生等领域的行政处罚权以及与之相关的行政检查、行政强制权。",
    Sector.TRANSPORT: "负责本行政区域公路路政、道路运输等交通运输领域的监督管理和行政执法。",
    Sector.JUSTICE: "负责本行政区域行政执法协调监督工作，指导、监督各行政执法主体依法履行职责。",
}


OVERSIGHT = "行政执法协调监督科"  # the justice bureaus' unit for enforcement supervision


@dataclass(frozen=True)
class AgencySpec:
    no: int  # stable serial: part of the credit code and of certificate numbers, never reuse
    key: str  # how the rest of the demo data refers to this agency
    name: str
    short_name: str
    region: str  # region code
    sector: str
    kind: str = S
    entrusted_by: str = ""  # key of the entrusting agency (受委托组织 only)
    legal_review_unit: str = "法规科"
    duties: str = ""
    phone: str = ""
    status: str = AgencyStatus.ACTIVE

    @property
    def is_enforcing(self):
        """Justice bureaus supervise; everyone else enforces and needs certified officers."""
        return self.sector != Sector.JUSTICE


AGENCIES = [
    # Justice bureaus (执法监督机关), one per level.
    AgencySpec(
        1, "sd_justice", "山东省司法厅", "鲁司", "370000", Sector.JUSTICE, legal_review_unit="行政执法协调监督局"
    ),
    AgencySpec(2, "jn_justice", "济宁市司法局", "济司", "370800", Sector.JUSTICE, legal_review_unit=OVERSIGHT),
    AgencySpec(3, "hz_justice", "菏泽市司法局", "菏司", "371700", Sector.JUSTICE, legal_review_unit=OVERSIGHT),
    AgencySpec(
        4,
        "rc_justice",
        "济宁市任城区司法局",
        "济任司",
        "370811",
        Sector.JUSTICE,
        legal_review_unit=OVERSIGHT,
    ),
    AgencySpec(
        5,
        "md_justice",
        "菏泽市牡丹区司法局",
        "菏牡司",
        "371702",
        Sector.JUSTICE,
        legal_review_unit=OVERSIGHT,
    ),
    # Market regulation.
    AgencySpec(10, "sd_market", "山东省市场监督管理局", "鲁市监", "370000", Sector.MARKET, legal_review_unit="法规处"),
    AgencySpec(11, "jn_market", "济宁市市场监督管理局", "济市监", "370800", Sector.MARKET),
    AgencySpec(12, "rc_market", "济宁市任城区市场监督管理局", "济任市监", "370811", Sector.MARKET),
    AgencySpec(13, "yz_market", "济宁市兖州区市场监督管理局", "济兖市监", "370812", Sector.MARKET),
    AgencySpec(14, "qf_market", "曲阜市市场监督管理局", "曲市监", "370881", Sector.MARKET),
    AgencySpec(15, "hz_market", "菏泽市市场监督管理局", "菏市监", "371700", Sector.MARKET),
    AgencySpec(16, "md_market", "菏泽市牡丹区市场监督管理局", "菏牡市监", "371702", Sector.MARKET),
    AgencySpec(17, "cx_market", "曹县市场监督管理局", "曹市监", "371721", Sector.MARKET),
    AgencySpec(18, "sx_market", "单县市场监督管理局", "单市监", "371722", Sector.MARKET),
    # Ecology and environment: after the vertical reform a county office is a branch (分局) of the city bureau.
    AgencySpec(
        20, "jn_ecology", "济宁市生态环境局", "济环", "370800", Sector.ECOLOGY, legal_review_unit="法规与标准科"
    ),
    AgencySpec(
        21,
        "rc_ecology",
        "济宁市生态环境局任城区分局",
        "济环任",
        "370811",
        Sector.ECOLOGY,
        legal_review_unit="综合科（法制审核）",
        duties="济宁市生态环境局的派出机构，负责任城区生态环境监督管理和执法检查。",
    ),
    AgencySpec(
        22, "hz_ecology", "菏泽市生态环境局", "菏环", "371700", Sector.ECOLOGY, legal_review_unit="法规与标准科"
    ),
    # Urban management: county-level comprehensive administrative enforcement bureaus (综合行政执法局).
    AgencySpec(
        30, "rc_urban", "济宁市任城区综合行政执法局", "济任综执", "370811", Sector.URBAN, legal_review_unit="法制审核科"
    ),
    AgencySpec(
        31, "qf_urban", "曲阜市综合行政执法局", "曲综执", "370881", Sector.URBAN, legal_review_unit="法制审核科"
    ),
    AgencySpec(
        32, "md_urban", "菏泽市牡丹区综合行政执法局", "菏牡综执", "371702", Sector.URBAN, legal_review_unit="法制审核科"
    ),
    AgencySpec(
        33,
        "gh_office",
        "济宁市任城区古槐街道综合执法办公室",
        "济任综执",
        "370811011",
        Sector.URBAN,
        kind=E,
        entrusted_by="rc_urban",
        legal_review_unit="济宁市任城区综合行政执法局法制审核科",
        duties="受济宁市任城区综合行政执法局书面委托，在古槐街道辖区内以委托机关名义实施市容环境卫生等领域的行政处罚。",
        phone="12345",
    ),
    AgencySpec(
        34,
        "rc_urban_old",
        "济宁市任城区城市管理局",
        "济任城管",
        "370811",
        Sector.URBAN,
        legal_review_unit="法规科",
        status=AgencyStatus.DISSOLVED,
        duties="（演示数据）机构改革后已撤销，职责划入济宁市任城区综合行政执法局；保留以便查阅历史案件。",
        phone="0537-2345678",
    ),
    # Transport: the bureau, and the enforcement detachment acting as an authorised organisation.
    AgencySpec(
        40, "jn_transport", "济宁市交通运输局", "济交", "370800", Sector.TRANSPORT, legal_review_unit="政策法规科"
    ),
    AgencySpec(
        41,
        "jn_transport_team",
        "济宁市交通运输综合执法支队",
        "济交执",
        "370800",
        Sector.TRANSPORT,
        kind=A,
        legal_review_unit="法制科",
        duties="依照法律法规授权，承担公路路政、道路运输等交通运输领域的行政执法工作。",
    ),
]

BY_KEY = {spec.key: spec for spec in AGENCIES}


def demo_uscc(prefix, region_code, marker, serial):
    """A well-formed credit code: prefix + 6-digit region + 2-letter marker + 7-digit serial + check."""
    first17 = f"{prefix}{region_code[:6]}{marker}{serial:07d}"
    return first17 + uscc_check_char(first17)


def uscc_for(spec):
    # 11 = 机构编制部门登记的机关; 12 = 事业单位 (detachments and offices are public institutions).
    prefix = "11" if spec.kind == S else "12"
    return demo_uscc(prefix, spec.region, "DM", spec.no)


def values_for(spec, region, entrusting_agency, region_name):
    """Field values of the Agency row for `spec` (everything but the natural key)."""
    return {
        "short_name": spec.short_name,
        "uscc": uscc_for(spec),
        "region": region,
        "kind": spec.kind,
        "sector": spec.sector,
        "entrusting_agency": entrusting_agency,
        "legal_review_unit": spec.legal_review_unit,
        "duties": spec.duties or DUTIES[spec.sector],
        "address": f"{region_name}政务服务中心（演示地址）",
        "complaint_phone": spec.phone or HOTLINE[spec.sector],
        "status": spec.status,
    }
