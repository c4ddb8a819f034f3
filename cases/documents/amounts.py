"""Money as the paper forms write it: figures (50,000.00) and Chinese capital numerals (伍万元整).

The capital form follows the bank rules for writing amounts (中国人民银行《支付结算办法》附件):
壹贰叁…拾佰仟万亿, “整” after 元 or 角 and never after 分, one 零 for any run of zeros inside
the number, and 零 before 分 when there is no 角 (100.05 → 壹佰元零伍分).
"""

from decimal import ROUND_HALF_UP, Decimal

CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))
_GROUPS = ("", "万", "亿")
CENT = Decimal("0.01")


def _to_decimal(amount):
    value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _group(n):
    """1..9999 inside one 万 group: 1010 → 壹仟零壹拾."""
    out, zero = "", False
    for value, unit in _IN_GROUP:
        digit = n // value % 10
        if digit:
            if zero:
                out += "零"
            out += CAPITAL_DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def _integer(n):
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_GROUPS):
        raise ValueError("amounts of a trillion yuan or more are not written in capitals here")
    out, zero = "", False
    for index in reversed(range(len(groups))):
        g = groups[index]
        if not g:
            zero = True
            continue
        if out and (zero or g < 1000):
            out += "零"
        out += _group(g) + _GROUPS[index]
        zero = False
    return out


def amount_in_capitals(amount):
    """50000 → 伍万元整; 1234.56 → 壹仟贰佰叁拾肆元伍角陆分; 100.05 → 壹佰元零伍分; 0 → 零元整."""
    value = _to_decimal(amount)
    if value < 0:
        raise ValueError("a negative amount has no capital form")
    cents = int(value * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    out = _integer(yuan) + "元" if yuan else ""
    if jiao:
        out += CAPITAL_DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += CAPITAL_DIGITS[fen] + "分"
    else:
        out = (out or "零元") + "整"
    return out


def amount_in_figures(amount):
    """50000 → 50,000.00 (yuan, two decimals, thousands separated)."""
    return f"{_to_decimal(amount):,.2f}"
