"""Chinese numerals for legal citations: 第六十三条, 第（二）项."""

DIGITS = "零一二三四五六七八九"


def chinese_number(n):
    """Write 1..9999 the way statutes number their articles (十, 十二, 二十, 一百零八)."""
    if not 0 < n < 10000:
        raise ValueError("only 1..9999 are written as article numbers")
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    out = []
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero_pending = False
    for value, name in units:
        digit = n // value % 10
        if digit:
            if zero_pending and out:
                out.append("零")
            out.append(DIGITS[digit] + name)
            zero_pending = False
        elif out:
            zero_pending = True
    return "".join(out)
