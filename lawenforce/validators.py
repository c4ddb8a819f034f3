"""Identity-number validators used by every form, API and import that takes these numbers.

Each raises Django's ValidationError with a Chinese message that says what is wrong.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# --- Resident ID number (居民身份证号码), GB 11643-1999 ---------------------------------

# First two digits: province-level codes of GB/T 2260, plus 71 Taiwan, 81 Hong Kong, 82 Macao,
# and 83 used by residence permits for Taiwan residents.
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # indexed by the weighted sum mod 11 (ISO 7064 MOD 11-2)
ID_EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def resident_id_check_char(first17):
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value):
    value = value or ""
    if len(value) == 15 and value.isdigit():
        raise ValidationError(
            _("这是 15 位的旧身份证号码，请填写现行的 18 位居民身份证号码。"), code="resident_id_old_format"
        )
    if len(value) != 18:
        raise ValidationError(
            _("居民身份证号码应为 18 位，现在是 %(n)d 位，请核对。"), code="resident_id_length", params={"n": len(value)}
        )
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        hint = _("末位的 x 请写成大写 X。") if value[-1] == "x" and value[:17].isascii() and value[:17].isdigit() else ""
        raise ValidationError(
            _("居民身份证号码前 17 位应为数字，末位为数字或大写 X。%(hint)s"),
            code="resident_id_chars",
            params={"hint": hint},
        )
    if value[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("居民身份证号码前两位“%(prefix)s”不是有效的省级行政区划代码，请核对。"),
            code="resident_id_region",
            params={"prefix": value[:2]},
        )
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("居民身份证号码第 7 至 14 位的出生日期“%(date)s”不是有效日期，请核对。"),
            code="resident_id_birth",
            params={"date": value[6:14]},
        ) from None
    if not ID_EARLIEST_BIRTH <= birth <= timezone.localdate():
        raise ValidationError(
            _("居民身份证号码中的出生日期 %(date)s 不合理（早于 1900 年或晚于今天），请核对。"),
            code="resident_id_birth",
            params={"date": birth.isoformat()},
        )
    expected = resident_id_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("居民身份证号码校验位不符：按前 17 位计算末位应为 %(expected)s，请核对是否输错。"),
            code="resident_id_checksum",
            params={"expected": expected},
        )


# --- Unified social credit code (统一社会信用代码), GB 32100-2015 ---------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_AUTHORITIES = frozenset("123456789ANY")  # registration management department codes


def uscc_check_char(first17):
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(value):
    value = value or ""
    if len(value) != 18:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，现在是 %(n)d 位，请核对。"), code="uscc_length", params={"n": len(value)}
        )
    bad = sorted({c for c in value if c not in USCC_CHARS})
    if bad:
        lower = any(c.islower() for c in bad)
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s。代码只用数字和大写字母（不含 I、O、Z、S、V）。%(hint)s"),
            code="uscc_chars",
            params={"chars": "、".join(bad), "hint": _("请把小写字母改为大写。") if lower else ""},
        )
    if value[0] not in USCC_AUTHORITIES:
        raise ValidationError(
            _("统一社会信用代码第 1 位“%(c)s”不是有效的登记管理部门代码，请核对。"), code="uscc_authority", params={"c": value[0]}
        )
    if not value[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第 3 至 8 位应为登记管理机关的行政区划代码（6 位数字），请核对。"), code="uscc_region"
        )
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位不符：按前 17 位计算末位应为 %(expected)s，请核对是否输错。"),
            code="uscc_checksum",
            params={"expected": expected},
        )


# --- Telephone numbers -------------------------------------------------------------------

PHONE_RE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{5}|400-?\d{3}-?\d{4}", re.ASCII)


def validate_phone(value):
    """Mobile (11 digits), landline with area code (0531-12345678), or a 5-digit hotline such as 12345."""
    if value and not PHONE_RE.fullmatch(value):
        raise ValidationError(
            _("电话号码格式不对：请填写 11 位手机号、带区号的固定电话（如 0537-2345678）或 12345 这样的热线号码。"),
            code="phone",
        )
