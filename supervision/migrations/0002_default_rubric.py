"""The default dossier-evaluation rubric (默认案卷评查标准): 100 points over the six parts that
evaluation schemes of the justice administration use (subject, facts and evidence, procedure,
law and discretion, documents, archiving). Administrators copy and adjust it in the admin; the
data here is frozen so that the migration means the same thing forever."""

from decimal import Decimal

from django.db import migrations

NAME = "行政处罚案卷评查标准（默认）"
DESCRIPTION = (
    "满分100分，80分以上为合格。标注“否决项”的项目得零分的，案卷评为不合格。"
    "带自动预检规则的项目由系统根据监督预警先行评分，评查人最终确认。"
)
ITEMS = [
    ("subject", "执法主体合法，案件属于本机关权责清单范围", "核对权责清单、委托关系；超越职权的处罚无效（《行政处罚法》第三十八条）。", "6", ["S-POWER-ITEM-NOT-HELD"], True),
    ("subject", "执法人员不少于两人，均持有有效且覆盖执法类别的执法证", "核对立案审批表、笔录上的执法人员及执法证（《行政处罚法》第四十二条）。", "4", ["S-HANDLERS-TOO-FEW", "S-CERTIFICATE-INVALID"], False),
    ("facts_evidence", "违法事实清楚，定性准确", "事实要素（时间、地点、情节、后果）完整，定性与证据一致。", "10", [], False),
    ("facts_evidence", "证据合法、充分，证据之间相互印证", "证据种类、来源、取证程序合法（《行政处罚法》第四十六条）。", "10", [], False),
    ("facts_evidence", "证据和记录及时入库，没有事后补录", "音像记录24小时内上传；决定作出后不得补录调查材料。", "5", ["S-EVIDENCE-LATE", "S-BACKFILL-LATE", "S-BACKFILL-AFTER-DECISION"], False),
    ("procedure", "立案、决定在法定期限内", "线索15个工作日内决定是否立案；立案之日起90日内作出决定（《行政处罚法》第六十条）。", "8", ["S-FILING-OVERDUE", "S-DECISION-OVERDUE"], False),
    ("procedure", "依法告知陈述、申辩和听证权利，听证程序合法", "《行政处罚法》第四十四条、第六十三条、第六十四条。", "7", ["S-HEARING-RIGHT-NOT-NOTIFIED", "S-HEARING-NOTICE-SHORT"], False),
    ("procedure", "重大执法决定经法制审核和集体讨论", "《行政处罚法》第五十七条、第五十八条；审核人员不得为本案承办人员。", "6", ["S-REVIEW-MISSING", "S-REVIEWER-IS-HANDLER"], False),
    ("procedure", "送达、执行、查封扣押符合法定程序和期限", "《行政处罚法》第六十一条、第六十六条、第七十二条；《行政强制法》第二十五条。", "4", ["S-SERVICE-OVERDUE", "S-PAYMENT-OVERDUE", "S-SEIZURE-OVERDUE", "S-SURCHARGE-ABOVE-FINE"], False),
    ("law_discretion", "适用法律、法规、规章准确，引用条款具体", "引用到条、款、项；新旧法适用正确。", "10", [], False),
    ("law_discretion", "处罚在裁量基准和法定幅度内，偏离基准有书面理由并经集体讨论", "《行政处罚法》第三十四条、第五十七条第二款。", "10", ["S-DISCRETION-DEVIATION", "S-FINE-ABOVE-MAX"], False),
    ("documents", "执法文书齐全，格式规范，文号完整", "立案审批表、告知书、决定书、送达回证等齐全。", "6", [], False),
    ("documents", "文书记载事项完整，签名签章齐全", "决定书载明《行政处罚法》第五十九条规定的事项。", "4", [], False),
    ("archiving", "结案后30日内立卷归档", "行政执法全过程记录制度（国办发〔2018〕118号）。", "5", ["S-ARCHIVE-OVERDUE"], False),
    ("archiving", "卷内材料完整，排列有序，页码齐全", "封面、目录、文书、证据、送达回证、结案报告按序排列。", "5", [], False),
]


def create(apps, schema_editor):
    Rubric = apps.get_model("supervision", "Rubric")
    RubricItem = apps.get_model("supervision", "RubricItem")
    if Rubric.objects.filter(name=NAME).exists():
        return
    rubric = Rubric.objects.create(name=NAME, description=DESCRIPTION, pass_score=Decimal("80"), is_default=True)
    RubricItem.objects.bulk_create(
        RubricItem(
            rubric=rubric,
            section=section,
            title=title,
            guidance=guidance,
            max_points=Decimal(points),
            order=index,
            auto_rules=rules,
            veto=veto,
        )
        for index, (section, title, guidance, points, rules, veto) in enumerate(ITEMS, start=1)
    )


def remove(apps, schema_editor):
    apps.get_model("supervision", "Rubric").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
