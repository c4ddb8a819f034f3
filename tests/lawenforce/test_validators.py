"""Identity-number validators: what passes, what fails, and that the Chinese message says what is wrong."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lawenforce.validators import (
    resident_id_check_char,
    uscc_check_char,
    validate_phone,
    validate_resident_id,
    validate_uscc,
)
from tests.factories import make_uscc


def error_of(validator, value) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value


def message_of(error: ValidationError) -> str:
    return error.messages[0]  # the message with its params filled in


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


# --- Resident ID number ---------------------------------------------------------------------


def test_check_char_matches_the_gb_11643_example():
    assert resident_id("11010519491231002") == "11010519491231002X"


@pytest.mark.parametrize(
    "first17",
    [
        "11010519491231002",  # Beijing, check char X
        "37081119800101123",  # Shandong Jining
        "44030420000229123",  # born on a leap day
        "65010219000101123",  # earliest accepted birth year
        "81000019900101123",  # Hong Kong residence permit
        "83000019900101123",  # Taiwan residents' residence permit
    ],
)
def test_valid_resident_ids_pass(first17):
    validate_resident_id(resident_id(first17))


def test_resident_id_born_today_passes():
    today = timezone.localdate()
    validate_resident_id(resident_id(f"370811{today:%Y%m%d}123"))


def test_old_15_digit_resident_id_is_refused_with_a_hint_to_use_18_digits():
    error = error_of(validate_resident_id, "370811800101123")
    assert error.code == "resident_id_old_format"
    assert "15 位" in message_of(error) and "18 位" in message_of(error)


@pytest.mark.parametrize(
    ("value", "length"), [("", 0), (None, 0), ("3708111980010112", 16), ("3708111980010112345", 19)]
)
def test_resident_id_of_wrong_length_states_the_length(value, length):
    error = error_of(validate_resident_id, value)
    assert error.code == "resident_id_length"
    assert f"现在是 {length} 位" in message_of(error)


def test_lowercase_x_is_refused_with_a_hint_to_write_capital_x():
    error = error_of(validate_resident_id, "11010519491231002x")
    assert error.code == "resident_id_chars"
    assert "大写 X" in message_of(error)


@pytest.mark.parametrize("value", ["3708111980O101123X", "X70811198001011234", "37081119800101123A"])
def test_resident_id_with_letters_is_refused(value):
    error = error_of(validate_resident_id, value)
    assert error.code == "resident_id_chars"
    assert "前 17 位应为数字" in message_of(error)


@pytest.mark.parametrize("prefix", ["00", "10", "20", "38", "66", "72", "84", "99"])
def test_resident_id_with_a_bad_province_prefix_names_the_prefix(prefix):
    error = error_of(validate_resident_id, resident_id(f"{prefix}081119800101123"))
    assert error.code == "resident_id_region"
    assert f"“{prefix}”" in message_of(error)
    assert "省级行政区划代码" in message_of(error)


@pytest.mark.parametrize("birth", ["19990230", "20230229", "19991301", "19990001", "19990100"])
def test_resident_id_with_an_impossible_birth_date_names_the_date(birth):
    error = error_of(validate_resident_id, resident_id(f"370811{birth}123"))
    assert error.code == "resident_id_birth"
    assert f"“{birth}”不是有效日期" in message_of(error)


def test_resident_id_born_tomorrow_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    error = error_of(validate_resident_id, resident_id(f"370811{tomorrow:%Y%m%d}123"))
    assert error.code == "resident_id_birth"
    assert tomorrow.isoformat() in message_of(error)
    assert "晚于今天" in message_of(error)


def test_resident_id_born_before_1900_is_refused():
    error = error_of(validate_resident_id, resident_id("37081118991231123"))
    assert error.code == "resident_id_birth"
    assert "1899-12-31" in message_of(error) and "早于 1900 年" in message_of(error)


def test_resident_id_with_a_wrong_check_char_states_the_expected_char():
    valid = resident_id("37081119800101123")
    wrong = "0" if valid[-1] != "0" else "1"
    error = error_of(validate_resident_id, valid[:17] + wrong)
    assert error.code == "resident_id_checksum"
    assert error.params == {"expected": valid[-1]}
    assert f"末位应为 {valid[-1]}" in message_of(error)


def test_resident_id_with_two_digits_swapped_fails_the_checksum():
    valid = resident_id("37081119800101123")
    swapped = valid[:14] + valid[15] + valid[14] + valid[16:]
    assert swapped != valid
    assert error_of(validate_resident_id, swapped).code == "resident_id_checksum"


def test_resident_id_with_full_width_digits_is_refused():
    first17 = "370811１９８００１０１１２３"
    with pytest.raises(ValidationError):
        validate_resident_id(first17 + resident_id_check_char(first17))


# --- Unified social credit code -------------------------------------------------------------

# Published codes of well-known companies (national enterprise credit information publicity system).
REAL_USCCS = {
    "9144030071526726XG": "深圳市腾讯计算机系统有限公司",
    "91330100799655058B": "阿里巴巴（中国）有限公司",
    "914403001922038216": "华为技术有限公司",
    "91110000802100433B": "北京百度网讯科技有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
    "91440300708461136T": "中国平安保险（集团）股份有限公司",
    "91110000710925462X": "中国石油化工股份有限公司",
}


@pytest.mark.parametrize("code", REAL_USCCS, ids=REAL_USCCS.get)
def test_real_published_credit_codes_pass(code):
    validate_uscc(code)


@pytest.mark.parametrize("n", [1, 42, 9999, 123456])
def test_factory_credit_codes_pass(n):
    validate_uscc(make_uscc(n))


@pytest.mark.parametrize(
    ("value", "length"), [("", 0), (None, 0), ("9144030071526726X", 17), ("9144030071526726XG0", 19)]
)
def test_credit_code_of_wrong_length_states_the_length(value, length):
    error = error_of(validate_uscc, value)
    assert error.code == "uscc_length"
    assert f"现在是 {length} 位" in message_of(error)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_credit_code_with_a_forbidden_letter_names_the_letter(letter):
    error = error_of(validate_uscc, f"9144030071526{letter}26XG")
    assert error.code == "uscc_chars"
    assert f"不允许的字符：{letter}。" in message_of(error)
    assert "不含 I、O、Z、S、V" in message_of(error)


def test_lowercase_credit_code_is_refused_with_a_hint_to_use_capitals():
    error = error_of(validate_uscc, "9144030071526726xg")
    assert error.code == "uscc_chars"
    assert "g、x" in message_of(error)
    assert "小写字母改为大写" in message_of(error)


@pytest.mark.parametrize("code", REAL_USCCS)
def test_credit_code_with_a_wrong_check_char_states_the_expected_char(code):
    wrong = "0" if code[-1] != "0" else "1"
    error = error_of(validate_uscc, code[:17] + wrong)
    assert error.code == "uscc_checksum"
    assert error.params == {"expected": code[-1]}
    assert f"末位应为 {code[-1]}" in message_of(error)


@pytest.mark.parametrize("authority", ["0", "B", "C", "X"])
def test_credit_code_with_a_bad_authority_code_names_it(authority):
    first17 = authority + "1110000802100433"
    error = error_of(validate_uscc, first17 + uscc_check_char(first17))
    assert error.code == "uscc_authority"
    assert f"第 1 位“{authority}”" in message_of(error)
    assert "登记管理部门代码" in message_of(error)


def test_credit_code_with_letters_in_the_region_code_is_refused():
    first17 = "911A0000802100433"
    error = error_of(validate_uscc, first17 + uscc_check_char(first17))
    assert error.code == "uscc_region"
    assert "行政区划代码" in message_of(error)


# --- Telephone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13800138000",
        "19912345678",
        "0537-2345678",
        "05372345678",
        "010-12345678",
        "0531-12345678-123",  # extension
        "12345",
        "12315",
        "400-123-4567",
        "4001234567",
        "",  # optional field
        None,
    ],
)
def test_valid_phone_numbers_pass(value):
    validate_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "12800138000",  # no mobile prefix 12
        "0537-234",  # local number too short
        "537-2345678",  # area code without the leading 0
        "123456",
        "138 0013 8000",
        "电话13800138000",
        "abc",
    ],
)
def test_malformed_phone_numbers_are_refused_with_the_accepted_forms(value):
    error = error_of(validate_phone, value)
    assert error.code == "phone"
    assert "11 位手机号" in message_of(error) and "区号" in message_of(error)


@pytest.mark.parametrize("value", ["13800138000\n", "13８００１３８０００", "0537-２３４５６７８"])
def test_phone_with_trailing_newline_or_full_width_digits_is_refused(value):
    with pytest.raises(ValidationError):
        validate_phone(value)
