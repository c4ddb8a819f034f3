import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lawenforce.models import (
    AgencyKind,
    CertificateStatus,
    DiscretionStandard,
    FineBasis,
    LegalProvision,
    PenaltyKind,
)
from lawenforce.tasks import expire_certificates
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    EnforcementCategoryFactory,
    LawFactory,
    PowerItemFactory,
)

pytestmark = pytest.mark.django_db


def test_an_entrusted_organisation_needs_its_entrusting_agency(regions):
    org = AgencyFactory.build(region=regions["township"], kind=AgencyKind.ENTRUSTED, entrusting_agency=None)
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "第二十条" in str(exc.value)


def test_an_entrusted_organisation_cannot_entrust_further(regions):
    county = AgencyFactory(region=regions["county"])
    first = AgencyFactory(region=regions["township"], kind=AgencyKind.ENTRUSTED, entrusting_agency=county)
    second = AgencyFactory.build(region=regions["township"], kind=AgencyKind.ENTRUSTED, entrusting_agency=first)
    with pytest.raises(ValidationError) as exc:
        second.full_clean()
    assert "不得再委托" in str(exc.value)


def test_a_statutory_agency_has_no_entrusting_agency(regions):
    county = AgencyFactory(region=regions["county"])
    agency = AgencyFactory.build(region=regions["county"], entrusting_agency=county)
    with pytest.raises(ValidationError):
        agency.full_clean()


def test_agency_rejects_an_invalid_credit_code(regions):
    agency = AgencyFactory.build(region=regions["county"], uscc="11370811000000001X")
    with pytest.raises(ValidationError) as exc:
        agency.full_clean()
    assert "校验位" in str(exc.value.message_dict["uscc"][0])


def test_certificate_is_valid_only_inside_its_dates_and_while_valid():
    cert = CertificateFactory(valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2025, 12, 31))
    assert cert.is_valid_on(datetime.date(2025, 6, 1))
    assert not cert.is_valid_on(datetime.date(2026, 1, 1))
    cert.status = CertificateStatus.SUSPENDED
    assert not cert.is_valid_on(datetime.date(2025, 6, 1))


def test_certificate_end_before_start_is_refused():
    cert = CertificateFactory.build(valid_from=datetime.date(2025, 1, 2), valid_to=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        cert.full_clean(exclude=["officer"])
    assert "不能早于" in str(exc.value)


def test_officer_valid_certificate_checks_the_category():
    market = EnforcementCategoryFactory(code="market", name="市场监管")
    ecology = EnforcementCategoryFactory(code="ecology", name="生态环境")
    cert = CertificateFactory(categories=[market])
    day = datetime.date(2026, 3, 2)
    assert cert.officer.valid_certificate(day, market) == cert
    assert cert.officer.valid_certificate(day, ecology) is None


def test_expire_certificates_marks_only_certificates_past_their_end():
    old = CertificateFactory(valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2024, 12, 31))
    current = CertificateFactory()
    assert expire_certificates(today=datetime.date(2026, 1, 1)) == 1
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.status == CertificateStatus.EXPIRED
    assert current.status == CertificateStatus.VALID
    assert old.history.first().history_change_reason.startswith("执法证有效期届满")


def test_provision_citation_is_written_in_chinese_numerals():
    provision = LegalProvision.objects.create(
        law=LawFactory(), article=63, paragraph=1, item=2, text="（二）没收较大数额违法所得、没收较大价值非法财物；"
    )
    assert str(provision) == "《中华人民共和国行政处罚法》第六十三条第一款第（二）项"


def _standard(**kwargs):
    defaults = dict(
        power_item=PowerItemFactory(),
        violation="经营超过保质期的食品",
        circumstance="general",
        penalty_kinds=[PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS],
        fine_basis=FineBasis.FIXED,
        fine_min=Decimal("50000"),
        fine_max=Decimal("100000"),
        statutory_max=Decimal("100000"),
    )
    defaults.update(kwargs)
    return DiscretionStandard(**defaults)


def test_discretion_standard_above_the_statutory_maximum_is_refused():
    standard = _standard(fine_max=Decimal("150000"))
    with pytest.raises(ValidationError) as exc:
        standard.full_clean()
    assert "不能超过法定最高罚款" in str(exc.value)


def test_discretion_standard_with_fine_needs_a_fine_basis():
    with pytest.raises(ValidationError) as exc:
        _standard(fine_basis=FineBasis.NONE).full_clean()
    assert "罚款计算方式" in str(exc.value)


def test_discretion_standard_refuses_unknown_penalty_kinds():
    with pytest.raises(ValidationError) as exc:
        _standard(penalty_kinds=["flogging"]).full_clean()
    assert "未知的处罚种类" in str(exc.value)


def test_fine_range_in_multiples_is_capped_by_the_statutory_maximum():
    standard = _standard(
        fine_basis=FineBasis.VALUE_MULTIPLE,
        multiple_min=Decimal("10"),
        multiple_max=Decimal("20"),
        fine_min=None,
        fine_max=None,
        statutory_max=Decimal("300000"),
    )
    standard.full_clean()
    assert standard.fine_range(Decimal("12000")) == (Decimal("120000.00"), Decimal("240000.00"))
    assert standard.fine_range(Decimal("20000")) == (Decimal("200000.00"), Decimal("300000.00"))
    assert isinstance(standard.fine_range(Decimal("20000"))[0], Decimal)


def test_fixed_fine_range_is_returned_as_decimal():
    assert _standard().fine_range() == (Decimal("50000.00"), Decimal("100000.00"))
