"""Demo random-inspection items (随机抽查事项清单) for the demo jurisdiction (lawenforce.demo).

Each item links the demo catalogue's inspection power items (JC-…) and the agencies that hold
them; matched by name, so seeding again corrects and never duplicates. Every item goes through
disclosure.inspections.check_item, like the admin.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from disclosure import inspections
from disclosure.models import InspectionMethod, RandomInspectionItem
from lawenforce.models import Agency, PowerItem


@dataclass(frozen=True)
class ItemSpec:
    name: str
    power_codes: tuple
    subjects: str
    content: str
    method: str
    ratio: Decimal
    frequency: str


ITEMS = (
    ItemSpec(
        "食品生产经营者监督检查",
        ("JC-SCJG-001",),
        "辖区内取得食品生产、食品经营许可的生产经营者（含小作坊、食品摊贩）",
        "生产经营条件、进货查验和索证索票、标签标识、从业人员健康管理、食品安全自查。",
        InspectionMethod.ON_SITE,
        Decimal("5"),
        "每年不少于一次",
    ),
    ItemSpec(
        "食品安全监督抽检",
        ("JC-SCJG-001",),
        "辖区内食品生产企业、大中型食品经营企业和餐饮服务单位",
        "对抽取的食品按食品安全标准进行检验。",
        InspectionMethod.SAMPLING,
        Decimal("3"),
        "每季度一次",
    ),
    ItemSpec(
        "排污单位污染物排放情况检查",
        ("JC-STHJ-001",),
        "辖区内纳入排污许可管理的企业事业单位和其他生产经营者",
        "排污许可执行情况、污染防治设施运行、自动监测数据、台账记录。",
        InspectionMethod.ON_SITE,
        Decimal("10"),
        "重点排污单位每年不少于两次，一般排污单位每年一次",
    ),
)


def seed_inspection_items():
    """Create or correct the demo items; returns (created, updated)."""
    created = updated = 0
    with transaction.atomic():
        for spec in ITEMS:
            powers = list(PowerItem.objects.filter(code__in=spec.power_codes))
            if len(powers) != len(spec.power_codes):
                continue  # the demo catalogue is not loaded (run seed_demo first)
            agencies = inspections.with_held_ids(Agency.objects.active().filter(power_items__in=powers).distinct())
            inspections.check_item(powers, agencies)
            item, was_created = RandomInspectionItem.objects.update_or_create(
                name=spec.name,
                defaults={
                    "subjects": spec.subjects,
                    "content": spec.content,
                    "method": spec.method,
                    "ratio": spec.ratio,
                    "frequency": spec.frequency,
                    "active": True,
                },
            )
            item.power_items.set(powers)
            item.agencies.set(agencies)
            created += was_created
            updated += not was_created
    return created, updated
