"""The masking rules (disclosure.masking): nothing personal of a natural person reaches the public copy."""

from decimal import Decimal

import pytest

from cases.models import Party, PartyKind
from disclosure import masking
from disclosure.models import PartyCategory
from tests.cases.factories import resident_id

ID = resident_id("37081119850304123")


def person(**kwargs):
    fields = {
        "kind": PartyKind.NATURAL_PERSON,
        "name": "张三丰",
        "id_number": ID,
        "phone": "13905371234",
        "address": "济宁市任城区幸福路88号",
    }
    return Party(**{**fields, **kwargs})


@pytest.mark.parametrize(
    "text",
    [
        f"身份证号{ID}。",
        "身份证号370811198503041230X",  # 19 characters: not an ID number; the digits before it are masked below
        "身份证 3708 1119 8503 0412 3X",
        "身份证３７０８１１１９８５０３０４１２３Ｘ",
        "ID370811-19850304-123X",
        "旧证370811850304123",
    ],
)
def test_id_numbers_in_any_spelling_are_removed(text):
    out = masking.scrub(text)
    assert "19850304" not in out.replace(" ", "").replace("-", "")
    assert "１９８５０３０４" not in out
    assert masking.leaks(out) == []


@pytest.mark.parametrize(
    "text",
    ["电话13905371234", "手机 139-0537-1234", "手机１３９０５３７１２３４", "座机0537-2345678", "+8613905371234"],
)
def test_phone_numbers_are_removed(text):
    out = masking.scrub(text)
    assert masking.PHONE_MASK in out
    assert masking.leaks(out) == []


def test_amounts_dates_and_decision_numbers_are_left_alone():
    text = "2026年4月13日，罚款60000元，济任市监罚〔2026〕12号，货值金额5000.50元。"
    assert masking.scrub(text) == text


def test_an_all_digit_credit_code_is_public_but_a_mistyped_id_number_is_not():
    # Agencies' and companies' credit codes are data items of the record, and a USCC can be all
    # digits (check character computed): it is neither masked nor reported as a leak.
    code = "113700020000000020"
    text = f"处罚机关统一社会信用代码{code}。"
    assert masking.scrub(text) == text
    assert masking.leaks(text) == []
    # An ID number with a wrong check digit is still a person's number: masked, and a leak.
    mistyped = ID[:17] + ("1" if ID[17] != "1" else "2")
    assert masking.leaks(f"身份证号{mistyped}") == ["身份证号码"]
    assert mistyped not in masking.scrub(f"身份证号{mistyped}")


def test_the_parties_own_details_are_removed_even_when_unusual():
    party = person(address="任城区某村东头第三家")
    out = masking.scrub("张三丰住任城区某村东头第三家，手机13905371234。", [party])
    assert "张三丰" not in out and "东头第三家" not in out and "13905371234" not in out
    assert out.startswith("张某某住［住址已隐去］")
    # Written without province and city, the address is still masked.
    out = masking.scrub("住幸福路88号，张三丰", [person()])
    assert "幸福路88号" not in out and out == "住［住址已隐去］，张某某"


def test_names_are_masked():
    assert masking.mask_name("张三") == "张某某"
    assert masking.mask_name("欧阳小明") == "欧阳某某"
    assert masking.mask_name("") == ""


def test_public_party_by_category():
    natural = masking.public_party(person())
    assert natural == {
        "party_name": "张某某",
        "party_category": PartyCategory.NATURAL_PERSON,
        "party_uscc": "",
        "legal_representative": "",
    }
    assert masking.public_party(person(), name_by_law=True)["party_name"] == "张三丰"
    shop = Party(
        kind=PartyKind.INDIVIDUAL_BUSINESS,
        name="任城区老李烟酒店",
        legal_representative="李四海",
        uscc="92370811MA3C12345X",
        id_number=ID,
    )
    assert masking.public_party(shop) == {
        "party_name": "任城区老李烟酒店",
        "party_category": PartyCategory.INDIVIDUAL_BUSINESS,
        "party_uscc": "92370811MA3C12345X",
        "legal_representative": "李某某",
    }
    company = Party(
        kind=PartyKind.OTHER_ORGANISATION, name="某协会", uscc="51370800MJD123456A", legal_representative="王五"
    )
    assert masking.public_party(company)["party_category"] == PartyCategory.LEGAL_PERSON
    assert masking.public_party(company)["legal_representative"] == "王五"


def test_amounts_in_ten_thousand_yuan_units():
    assert masking.to_wan(Decimal("60000.00")) == Decimal("6.000000")
    assert masking.to_wan(Decimal("1234.56")) == Decimal("0.123456")
    assert masking.from_wan(Decimal("0.123456")) == Decimal("1234.56")
    assert masking.to_wan(None) is None


def test_a_name_given_in_masked_form_is_left_as_it_is():
    party = person(name="张某")
    assert masking.scrub("当事人张某某在摊位销售。", [party]) == "当事人张某某在摊位销售。"
    assert masking.leaks("当事人张某某", [party]) == []
