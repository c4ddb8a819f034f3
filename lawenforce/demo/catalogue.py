"""The demo catalogue of power items (权责清单) with legal bases and discretion standards (裁量基准).

Codes read <action>-<department>-<serial>: CF 行政处罚, JC 行政检查, QZ 行政强制; SCJG 市场监管,
STHJ 生态环境, CSGL 城市管理, JTYS 交通运输. Each discretion row stays inside the range the quoted
article sets (statutory_max is the article's ceiling); the split into circumstances is the demo's.
"""

from dataclasses import dataclass
from decimal import Decimal

from lawenforce.models import ActionCategory, Circumstance, FineBasis, PenaltyKind, Sector

from .agencies import AGENCIES

PENALTY, INSPECTION, COERCION = ActionCategory.PENALTY, ActionCategory.INSPECTION, ActionCategory.COERCION
MINOR, GENERAL = Circumstance.MINOR, Circumstance.GENERAL
SERIOUS, GRAVE = Circumstance.SERIOUS, Circumstance.GRAVE
K = PenaltyKind

# Who holds what: every market regulator holds the market items, and so on.
MARKET = tuple(a.key for a in AGENCIES if a.sector == Sector.MARKET)
ECOLOGY = ("jn_ecology", "rc_ecology", "hz_ecology")
URBAN = ("rc_urban", "qf_urban", "md_urban", "gh_office")  # the entrusted office holds what it is entrusted with
TRANSPORT = ("jn_transport", "jn_transport_team")

NOT_PUNISHED = "初次违法且危害后果轻微并及时改正的，可以不予行政处罚；对当事人进行教育（《行政处罚法》第三十三条）。"
APL_33 = ("apl", 33, 1, None)


@dataclass(frozen=True)
class StandardSpec:
    violation: str
    circumstance: str
    penalty_kinds: tuple
    fine_basis: str = FineBasis.NONE
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    statutory_max: Decimal | None = None
    description: str = ""

    def values(self):
        """Field values of the DiscretionStandard row (natural key: item, violation, circumstance)."""
        return {
            "penalty_kinds": [str(kind) for kind in self.penalty_kinds],
            "fine_basis": self.fine_basis,
            "fine_min": self.fine_min,
            "fine_max": self.fine_max,
            "multiple_min": self.multiple_min,
            "multiple_max": self.multiple_max,
            "statutory_max": self.statutory_max,
            "description": self.description,
        }


def _money(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def fixed(violation, circumstance, kinds, low, high, cap, description=""):
    """A fine between two amounts in yuan, under the statutory ceiling `cap`."""
    return StandardSpec(
        violation,
        circumstance,
        tuple(kinds),
        FineBasis.FIXED,
        fine_min=_money(low),
        fine_max=_money(high),
        statutory_max=_money(cap),
        description=description,
    )


def multiple(violation, circumstance, kinds, low, high, basis=FineBasis.VALUE_MULTIPLE, cap=None, description=""):
    """A fine counted as a multiple of the goods value (or illegal gains)."""
    return StandardSpec(
        violation,
        circumstance,
        tuple(kinds),
        basis,
        multiple_min=_money(low),
        multiple_max=_money(high),
        statutory_max=_money(cap),
        description=description,
    )


def no_fine(violation, circumstance, kinds, description=""):
    return StandardSpec(violation, circumstance, tuple(kinds), description=description)


@dataclass(frozen=True)
class PowerItemSpec:
    code: str
    name: str
    action_category: str
    category: str  # enforcement category code
    holders: tuple  # agency keys
    provisions: tuple  # (law key, article, paragraph, item)
    standards: tuple = ()


FOOD_CONFISCATE = (K.CONFISCATE_GAINS, K.CONFISCATE_PROPERTY, K.FINE)
EXPIRED_FOOD_LOW = "生产经营超过保质期的食品、食品添加剂（货值金额不足一万元）"
EXPIRED_FOOD_HIGH = "生产经营超过保质期的食品、食品添加剂（货值金额一万元以上）"
HEALTH_CERT = "安排未取得健康证明的人员从事接触直接入口食品的工作"
FALSE_AD = "发布虚假广告，广告费用无法计算或者明显偏低"
UNSAFE_PRODUCT = "生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品"
FAKE_PRODUCT = "在产品中掺杂、掺假，以假充真，以次充好，或者以不合格产品冒充合格产品"
PRODUCT_KINDS = (K.CONFISCATE_PROPERTY, K.CONFISCATE_GAINS, K.FINE)
AIR_EXCESS = "超过大气污染物排放标准排放大气污染物"
VOC = "产生含挥发性有机物废气的生产和服务活动，未在密闭空间或者设备中进行，或者未按照规定安装、使用污染防治设施"
FUMES = "餐饮服务业经营者未安装或者不正常使用油烟净化设施，超过排放标准排放油烟"
LITTER_PERSON = "个人随意倾倒、抛撒、堆放或者焚烧生活垃圾"
LITTER_UNIT = "单位随意倾倒、抛撒、堆放或者焚烧生活垃圾"
POSTERS = "在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品"
OVERLOAD = "在公路上行驶的车辆，车货总质量超过公路、公路桥梁、公路隧道、汽车渡船限定标准"
PERMIT_LENDING = "租借、转让超限运输车辆通行证"

POWER_ITEMS = [
    PowerItemSpec(
        "CF-SCJG-001",
        "对生产经营超过保质期的食品、食品添加剂的行政处罚",
        PENALTY,
        "market",
        MARKET,
        (("food", 124, 1, None), ("food", 124, 1, 5)),
        (
            fixed(
                EXPIRED_FOOD_LOW,
                GENERAL,
                FOOD_CONFISCATE,
                50000,
                80000,
                100000,
                "没收违法所得和违法生产经营的食品、食品添加剂，并处五万元以上十万元以下罚款。",
            ),
            fixed(EXPIRED_FOOD_LOW, SERIOUS, FOOD_CONFISCATE, 80000, 100000, 100000),
            fixed(
                EXPIRED_FOOD_LOW,
                GRAVE,
                FOOD_CONFISCATE + (K.REVOKE_LICENCE,),
                90000,
                100000,
                100000,
                "情节严重的，吊销许可证。",
            ),
            multiple(
                EXPIRED_FOOD_HIGH, GENERAL, FOOD_CONFISCATE, 10, 14, description="并处货值金额十倍以上二十倍以下罚款。"
            ),
            multiple(EXPIRED_FOOD_HIGH, SERIOUS, FOOD_CONFISCATE, 14, 20),
            multiple(
                EXPIRED_FOOD_HIGH,
                GRAVE,
                FOOD_CONFISCATE + (K.REVOKE_LICENCE,),
                17,
                20,
                description="情节严重的，吊销许可证。",
            ),
        ),
    ),
    PowerItemSpec(
        "CF-SCJG-002",
        "对食品生产经营者安排未取得健康证明的人员从事接触直接入口食品工作的行政处罚",
        PENALTY,
        "market",
        MARKET,
        (("food", 126, 1, None), ("food", 126, 1, 6), APL_33),
        (
            no_fine(HEALTH_CERT, MINOR, (K.NONE,), NOT_PUNISHED),
            no_fine(HEALTH_CERT, GENERAL, (K.WARNING,), "责令改正，给予警告。"),
            fixed(
                HEALTH_CERT,
                SERIOUS,
                (K.FINE,),
                5000,
                30000,
                50000,
                "经责令改正拒不改正的，处五千元以上五万元以下罚款。",
            ),
            fixed(
                HEALTH_CERT,
                GRAVE,
                (K.FINE, K.STOP_BUSINESS, K.REVOKE_LICENCE),
                30000,
                50000,
                50000,
                "拒不改正且情节严重的，责令停产停业，直至吊销许可证。",
            ),
        ),
    ),
    PowerItemSpec(
        "CF-SCJG-003",
        "对发布虚假广告的行政处罚",
        PENALTY,
        "market",
        MARKET,
        (("ad", 55, 1, None), ("ad", 28, 1, None)),
        (
            fixed(
                FALSE_AD,
                GENERAL,
                (K.FINE,),
                200000,
                600000,
                1000000,
                "责令停止发布广告，责令广告主在相应范围内消除影响。按广告费用倍数计罚的情形尚未录入。",
            ),
            fixed(FALSE_AD, SERIOUS, (K.FINE,), 600000, 1000000, 1000000),
            fixed(
                FALSE_AD,
                GRAVE,
                (K.FINE, K.REVOKE_LICENCE),
                1000000,
                2000000,
                2000000,
                "两年内有三次以上违法行为或者有其他严重情节的，处一百万元以上二百万元以下罚款，可以吊销营业执照。",
            ),
        ),
    ),
    PowerItemSpec(
        "CF-SCJG-004",
        "对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的行政处罚",
        PENALTY,
        "market",
        MARKET,
        (("quality", 49, None, None),),
        (
            multiple(
                UNSAFE_PRODUCT,
                GENERAL,
                PRODUCT_KINDS,
                1,
                2,
                description="罚款基数为违法生产、销售产品（包括已售出和未售出的产品）的货值金额。",
            ),
            multiple(UNSAFE_PRODUCT, SERIOUS, PRODUCT_KINDS, 2, 3),
            multiple(
                UNSAFE_PRODUCT,
                GRAVE,
                PRODUCT_KINDS + (K.REVOKE_LICENCE,),
                "2.5",
                3,
                description="情节严重的，吊销营业执照。",
            ),
        ),
    ),
    PowerItemSpec(
        "CF-SCJG-005",
        "对在产品中掺杂、掺假，以假充真，以次充好，或者以不合格产品冒充合格产品的行政处罚",
        PENALTY,
        "market",
        MARKET,
        (("quality", 50, None, None),),
        (
            multiple(FAKE_PRODUCT, GENERAL, PRODUCT_KINDS, "0.5", "1.5"),
            multiple(FAKE_PRODUCT, SERIOUS, PRODUCT_KINDS, "1.5", 3),
            multiple(
                FAKE_PRODUCT, GRAVE, PRODUCT_KINDS + (K.REVOKE_LICENCE,), 2, 3, description="情节严重的，吊销营业执照。"
            ),
        ),
    ),
    PowerItemSpec(
        "JC-SCJG-001",
        "食品生产经营监督检查",
        INSPECTION,
        "market",
        MARKET,
        (("food", 110, 1, None), ("food", 110, 1, 1)),
    ),
    PowerItemSpec(
        "QZ-SCJG-001",
        "查封、扣押不符合食品安全标准或者存在安全隐患的食品、食品添加剂、食品相关产品",
        COERCION,
        "market",
        MARKET,
        (("food", 110, 1, None), ("food", 110, 1, 4), ("acl", 25, None, None)),
    ),
    PowerItemSpec(
        "CF-STHJ-001",
        "对超过大气污染物排放标准排放大气污染物的行政处罚",
        PENALTY,
        "ecology",
        ECOLOGY,
        (("air", 99, 1, None), ("air", 99, 1, 2)),
        (
            fixed(
                AIR_EXCESS, GENERAL, (K.FINE,), 100000, 400000, 1000000, "责令改正或者限制生产、停产整治，并处罚款。"
            ),
            fixed(AIR_EXCESS, SERIOUS, (K.FINE,), 400000, 700000, 1000000),
            fixed(
                AIR_EXCESS,
                GRAVE,
                (K.FINE, K.STOP_BUSINESS, K.CLOSE),
                700000,
                1000000,
                1000000,
                "情节严重的，报经有批准权的人民政府批准，责令停业、关闭。",
            ),
        ),
    ),
    PowerItemSpec(
        "CF-STHJ-002",
        "对产生含挥发性有机物废气的生产和服务活动未在密闭空间或者设备中进行等行为的行政处罚",
        PENALTY,
        "ecology",
        ECOLOGY,
        (("air", 108, 1, None), ("air", 108, 1, 1), APL_33),
        (
            no_fine(VOC, MINOR, (K.NONE,), NOT_PUNISHED),
            fixed(VOC, GENERAL, (K.FINE,), 2000, 10000, 20000, "责令改正，处二千元以上二万元以下罚款。"),
            fixed(VOC, SERIOUS, (K.FINE,), 10000, 20000, 20000, "拒不改正的，责令停产整治。"),
        ),
    ),
    PowerItemSpec(
        "JC-STHJ-001",
        "对排放污染物的企业事业单位和其他生产经营者的现场检查",
        INSPECTION,
        "ecology",
        ECOLOGY,
        (("env", 24, None, None),),
    ),
    PowerItemSpec(
        "QZ-STHJ-001",
        "查封、扣押造成污染物排放的设施、设备",
        COERCION,
        "ecology",
        ECOLOGY,
        (("env", 25, None, None), ("acl", 25, None, None)),
    ),
    PowerItemSpec(
        "CF-CSGL-001",
        "对餐饮服务业经营者超过排放标准排放油烟的行政处罚",
        PENALTY,
        "urban",
        URBAN,
        (("air", 118, 1, None),),
        (
            fixed(FUMES, GENERAL, (K.FINE,), 5000, 20000, 50000, "责令改正，处五千元以上五万元以下罚款。"),
            fixed(FUMES, SERIOUS, (K.FINE,), 20000, 50000, 50000),
            fixed(FUMES, GRAVE, (K.FINE, K.STOP_BUSINESS), 30000, 50000, 50000, "拒不改正的，责令停业整治。"),
        ),
    ),
    PowerItemSpec(
        "CF-CSGL-002",
        "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的行政处罚",
        PENALTY,
        "urban",
        URBAN,
        (("solid", 111, 1, None), ("solid", 111, 1, 1), ("solid", 111, 2, None)),
        (
            fixed(
                LITTER_PERSON,
                GENERAL,
                (K.FINE, K.CONFISCATE_GAINS),
                100,
                300,
                500,
                "责令改正，处以罚款，没收违法所得。",
            ),
            fixed(LITTER_PERSON, SERIOUS, (K.FINE, K.CONFISCATE_GAINS), 300, 500, 500),
            fixed(LITTER_UNIT, GENERAL, (K.FINE, K.CONFISCATE_GAINS), 50000, 200000, 500000),
            fixed(LITTER_UNIT, SERIOUS, (K.FINE, K.CONFISCATE_GAINS), 200000, 500000, 500000),
        ),
    ),
    PowerItemSpec(
        "CF-CSGL-003",
        "对在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品的行政处罚",
        PENALTY,
        "urban",
        URBAN,
        (("cityscape", 34, 1, None), ("cityscape", 34, 1, 2), APL_33),
        (
            no_fine(POSTERS, MINOR, (K.NONE,), NOT_PUNISHED),
            no_fine(
                POSTERS,
                GENERAL,
                (K.WARNING,),
                "责令纠正违法行为、采取补救措施，并处警告。罚款数额由地方性法规、规章规定，本演示未录入罚款档次。",
            ),
        ),
    ),
    PowerItemSpec(
        "CF-JTYS-001",
        "对车辆超限在公路上行驶的行政处罚",
        PENALTY,
        "transport",
        TRANSPORT,
        (("highway", 64, None, None),),
        (
            no_fine(OVERLOAD, MINOR, (K.WARNING,), "超限不足1000千克的，予以警告。"),
            fixed(OVERLOAD, GENERAL, (K.FINE,), 500, 5000, 30000, "责令改正；每超1000千克罚款500元。"),
            fixed(OVERLOAD, SERIOUS, (K.FINE,), 5000, 30000, 30000, "每超1000千克罚款500元，最高不超过3万元。"),
        ),
    ),
    PowerItemSpec(
        "CF-JTYS-002",
        "对租借、转让超限运输车辆通行证的行政处罚",
        PENALTY,
        "transport",
        TRANSPORT,
        (("highway", 65, 3, None),),
        (
            fixed(
                PERMIT_LENDING,
                GENERAL,
                (K.CONFISCATE_PROPERTY, K.FINE),
                1000,
                3000,
                5000,
                "没收超限运输车辆通行证，并处罚款。",
            ),
            fixed(PERMIT_LENDING, SERIOUS, (K.CONFISCATE_PROPERTY, K.FINE), 3000, 5000, 5000),
        ),
    ),
    PowerItemSpec(
        "QZ-JTYS-001",
        "扣留未随车携带超限运输车辆通行证的车辆",
        COERCION,
        "transport",
        TRANSPORT,
        (("highway", 65, 2, None),),
    ),
]
