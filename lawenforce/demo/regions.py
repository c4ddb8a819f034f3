"""Regions of the demo jurisdiction: real GB/T 2260 codes and names.

Township codes are the first nine digits of the National Bureau of Statistics' 统计用区划代码
(GB/T 10114 structure). Note 任城区's streets were renumbered when the old 市中区 merged into
任城区 in 2013: 古槐街道 is 370811011, not 370811001.
"""

from lawenforce.models import RegionLevel

P, C, X, T = RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP

# (code, name, level, parent code); parents come before children.
REGIONS = [
    ("370000", "山东省", P, None),
    ("370800", "济宁市", C, "370000"),
    ("371700", "菏泽市", C, "370000"),
    ("370811", "任城区", X, "370800"),
    ("370812", "兖州区", X, "370800"),
    ("370881", "曲阜市", X, "370800"),
    ("371702", "牡丹区", X, "371700"),
    ("371721", "曹县", X, "371700"),
    ("371722", "单县", X, "371700"),
    ("370811011", "古槐街道", T, "370811"),
    ("370811013", "阜桥街道", T, "370811"),
    ("370811014", "越河街道", T, "370811"),
    ("370812001", "鼓楼街道", T, "370812"),
    ("370812101", "大安镇", T, "370812"),
    ("370881001", "鲁城街道", T, "370881"),
    ("370881105", "尼山镇", T, "370881"),
    ("371702001", "东城街道", T, "371702"),
    ("371702005", "牡丹街道", T, "371702"),
    ("371721001", "曹城街道", T, "371721"),
    ("371721101", "庄寨镇", T, "371721"),
    ("371722001", "北城街道", T, "371722"),
    ("371722101", "郭村镇", T, "371722"),
]
