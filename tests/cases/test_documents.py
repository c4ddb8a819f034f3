"""Enforcement documents (执法文书): PDF rendering, numbers, hashes, versions, refusals, 大写金额."""

import datetime
import hashlib
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from cases.documents import (
    DOCUMENT_TEMPLATES,
    amount_in_capitals,
    available_kinds,
    chinese_date,
    generate,
    render_document_html,
)
from cases.errors import WorkflowError
from cases.models import (
    CaseState,
    DecisionKind,
    Document,
    DocumentKind,
    Payment,
    PriorNotice,
    Procedure,
    ReviewOutcome,
)
from lawenforce.models import PenaltyKind
from tests.cases.factories import (
    CaseFactory,
    CoerciveMeasureFactory,
    HearingFactory,
    LegalReviewFactory,
    PartyFactory,
    PersonPartyFactory,
    PriorNoticeFactory,
    SeizedItemFactory,
    ServiceFactory,
    document_decided_case,
    document_filed_case,
)

pytestmark = pytest.mark.django_db

PARTY = "济宁某某食品有限公司"
ARTICLE_TEXT = "由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def _poppler(tool):
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed: apt-get install -y poppler-utils")
    return path


def pdf_text(data):
    """The text of the PDF without whitespace (pdftotext breaks lines wherever the layout does)."""
    out = subprocess.run(
        [_poppler("pdftotext"), "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def squash(text):
    return re.sub(r"\s+", "", text)


def stored_bytes(document):
    """The stored PDF. With DOCUMENTS_DUMP_DIR set, also copied there to look at the layout:
    DOCUMENTS_DUMP_DIR=/tmp/docs pytest tests/cases/test_documents.py; pdftoppm -png /tmp/docs/x.pdf x"""
    with document.file.open("rb") as f:
        data = f.read()
    dump = os.environ.get("DOCUMENTS_DUMP_DIR")
    if dump:
        Path(dump).mkdir(parents=True, exist_ok=True)
        (Path(dump) / f"{document.kind}-{document.pk}.pdf").write_bytes(data)
    return data


def party_case(world, builder=document_decided_case, **fields):
    case = builder(world, **fields)
    PartyFactory(case=case, name=PARTY, phone="0537-1234567")
    return case


# ---------------------------------------------------------------- 大写金额


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (50000, "伍万元整"),
        (Decimal("1234.56"), "壹仟贰佰叁拾肆元伍角陆分"),
        (Decimal("100.05"), "壹佰元零伍分"),
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        (10, "壹拾元整"),
        (200, "贰佰元整"),
        (3000, "叁仟元整"),
        (10010, "壹万零壹拾元整"),
        (100005, "壹拾万零伍元整"),
        (1000000, "壹佰万元整"),
        ("1020.30", "壹仟零贰拾元叁角整"),
        (100000001, "壹亿零壹元整"),
        ("99999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_capitals(amount, words):
    assert amount_in_capitals(amount) == words


def test_amount_in_capitals_refuses_negative_amounts():
    with pytest.raises(ValueError):
        amount_in_capitals(-1)


def test_chinese_date():
    assert chinese_date(datetime.date(2026, 3, 2)) == "2026年3月2日"
    assert chinese_date(None) == ""


# ---------------------------------------------------------------- the penalty decision


def test_penalty_decision_is_a_stored_hashed_pdf_with_the_contents_the_law_requires(world):
    case = party_case(world)
    PriorNoticeFactory(case=case, number="济任市监告〔2026〕7号")

    doc = generate(case, DocumentKind.PENALTY_DECISION, world.head)

    data = stored_bytes(doc)
    assert data.startswith(b"%PDF")
    assert doc.pk and doc.file.name.startswith("documents/") and doc.file.name.endswith(".pdf")
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size == len(data)
    assert doc.number == "济任市监罚〔2026〕12号"
    assert doc.title == "行政处罚决定书"
    assert doc.created_by == world.head
    assert doc.superseded_by is None

    text = pdf_text(data)
    for expected in (
        world.agency.name,  # header
        "行政处罚决定书",
        "济任市监罚〔2026〕12号",
        PARTY,
        "91330100799655058B",
        "《中华人民共和国食品安全法》第一百二十四条第一款",
        ARTICLE_TEXT,
        "50,000.00元（大写：伍万元整）",
        "1,234.56元（大写：壹仟贰佰叁拾肆元伍角陆分）",
        "十五日内",
        "百分之三加处罚款",
        "第七十二条",
        "六十日内",
        "《中华人民共和国行政复议法》第二十条",
        "山东省济宁市任城区人民政府申请行政复议",
        "六个月内",
        "《中华人民共和国行政诉讼法》第四十六条",
        "济任市监告〔2026〕7号",
        "2026年5月6日",
        "印章",
    ):
        assert squash(expected) in text, expected


def test_the_pdf_embeds_a_noto_cjk_font(world):
    doc = generate(party_case(world), DocumentKind.PENALTY_DECISION, world.head)
    out = subprocess.run([_poppler("pdffonts"), doc.file.path], capture_output=True, check=True, text=True).stdout
    cjk = [line for line in out.splitlines() if "Noto" in line and "CJK" in line]
    assert cjk, out
    assert all(" yes " in line for line in cjk), out  # embedded


def test_regenerating_supersedes_and_keeps_the_old_version(world):
    case = party_case(world)
    first = generate(case, DocumentKind.PENALTY_DECISION, world.head)
    second = generate(case, DocumentKind.PENALTY_DECISION, world.head)

    first.refresh_from_db()
    assert first.superseded_by == second
    assert second.superseded_by is None
    assert first.file.name != second.file.name
    assert stored_bytes(first).startswith(b"%PDF")  # still there
    assert list(case.documents.filter(superseded_by__isnull=True)) == [second]
    # another kind is not touched
    notice_case_doc = generate(case, DocumentKind.FILING_APPROVAL, world.head)
    second.refresh_from_db()
    assert second.superseded_by is None and notice_case_doc.superseded_by is None


def test_a_document_for_a_step_not_reached_is_refused_in_chinese(world):
    case = party_case(world, builder=document_filed_case)
    with pytest.raises(WorkflowError) as error:
        generate(case, DocumentKind.PENALTY_DECISION, world.head)
    assert "本案尚未作出决定，不能打印行政处罚决定书" in error.value.text
    assert error.value.rule_code == "document_not_ready"

    for kind, words in [
        (DocumentKind.PRIOR_NOTICE, "尚未进行事先告知"),
        (DocumentKind.HEARING_NOTICE, "尚未安排听证"),
        (DocumentKind.HEARING_RECORD, "听证尚未举行"),
        (DocumentKind.LEGAL_REVIEW_OPINION, "尚未出具审核意见"),
        (DocumentKind.SEIZURE_DECISION, "尚未决定采取查封、扣押措施"),
        (DocumentKind.CLOSING_REPORT, "尚未结案"),
        (DocumentKind.SUMMARY_DECISION, "适用普通程序"),
    ]:
        with pytest.raises(WorkflowError, match=words):
            generate(case, kind, world.head)
    assert not Document.objects.exists()

    lead = CaseFactory(agency=world.agency, registered_by=world.handler1)
    with pytest.raises(WorkflowError, match="尚未立案"):
        generate(lead, DocumentKind.FILING_APPROVAL, world.head)


def test_wrong_decision_kind_is_refused(world):
    no_penalty = party_case(world, decision_kind=DecisionKind.NO_PENALTY_FIRST, penalty_kinds=[], fine_amount=None)
    with pytest.raises(WorkflowError, match="不能打印行政处罚决定书"):
        generate(no_penalty, DocumentKind.PENALTY_DECISION, world.head)
    penalty = party_case(world, number="济任市监立〔2026〕2号", decision_number="济任市监罚〔2026〕13号")
    with pytest.raises(WorkflowError, match="不能打印不予行政处罚决定书"):
        generate(penalty, DocumentKind.NO_PENALTY_DECISION, world.head)


def test_an_officer_of_another_agency_cannot_generate(world):
    from tests.factories import OfficerFactory

    stranger = OfficerFactory(agency=world.other_agency)
    with pytest.raises(WorkflowError, match="只有本案执法主体的人员"):
        generate(party_case(world), DocumentKind.PENALTY_DECISION, stranger)


def test_the_full_id_number_of_a_natural_person_is_printed_on_the_served_document(world):
    case = document_decided_case(world)
    person = PersonPartyFactory(case=case, name="张三", address="济宁市任城区某街2号")
    doc = generate(case, DocumentKind.PENALTY_DECISION, world.head)
    text = pdf_text(stored_bytes(doc))
    assert "张三" in text and person.id_number in text


def test_user_text_is_escaped(world):
    case = party_case(world, facts="当事人<script>alert(1)</script>销售过期食品。")
    html = render_document_html(case, DocumentKind.PENALTY_DECISION)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---------------------------------------------------------------- the prior notice


def test_prior_notice_lists_the_rights_and_the_hearing_deadline(world):
    case = party_case(world, builder=document_filed_case, state=CaseState.NOTIFIED)
    PriorNoticeFactory(
        case=case,
        number="济任市监告〔2026〕7号",
        served_on=datetime.date(2026, 4, 1),
        statement_deadline=datetime.date(2026, 4, 8),
        hearing_right=True,
        hearing_request_deadline=datetime.date(2026, 4, 8),
    )
    doc = generate(case, DocumentKind.PRIOR_NOTICE, world.handler1)
    assert doc.number == "济任市监告〔2026〕7号"
    text = pdf_text(stored_bytes(doc))
    for expected in (
        "行政处罚告知书",
        "济任市监告〔2026〕7号",
        PARTY,
        ARTICLE_TEXT,
        "伍万元整",
        "陈述、申辩的权利",
        "第四十四条、第四十五条",
        "2026年4月8日前",
        "有权要求举行听证",
        "五个工作日内",
        "第六十三条、第六十四条",
    ):
        assert squash(expected) in text, expected


def test_prior_notice_without_hearing_right_does_not_offer_a_hearing(world):
    case = party_case(world, builder=document_filed_case, state=CaseState.NOTIFIED)
    PriorNoticeFactory(case=case, hearing_right=False)
    text = pdf_text(stored_bytes(generate(case, DocumentKind.PRIOR_NOTICE, world.handler1)))
    assert "陈述、申辩的权利" in text
    assert "要求举行听证" not in text


# ---------------------------------------------------------------- every kind


@pytest.fixture
def full_case(world):
    """A case that went through every step, so that every kind can be printed."""
    case = party_case(
        world,
        state=CaseState.CLOSED,
        served_on=datetime.date(2026, 5, 8),
        payment_due_on=datetime.date(2026, 5, 23),
        closed_on=datetime.date(2026, 5, 20),
        lead_summary="群众举报当事人销售过期牛奶。",
    )
    notice = PriorNoticeFactory(
        case=case,
        number="济任市监告〔2026〕7号",
        hearing_right=True,
        hearing_request_deadline=datetime.date(2026, 4, 8),
        hearing_requested_on=datetime.date(2026, 4, 3),
    )
    HearingFactory(
        case=case,
        host=world.reviewer,
        notice_number="济任市监听〔2026〕3号",
        held_on=datetime.date(2026, 4, 24),
        record="调查人员陈述违法事实和证据。当事人申辩：已主动下架。",
        record_signed_by_party=True,
    )
    review = LegalReviewFactory(
        case=case,
        submitted_by=world.handler1,
        reviewer=world.reviewer,
        outcome=ReviewOutcome.APPROVED,
        opinion="事实清楚，证据确凿，适用法律正确，程序合法，同意拟处罚意见。",
        opinion_number="济任市监法审〔2026〕5号",
        reviewed_at=datetime.datetime(2026, 4, 28, 10, 0, tzinfo=datetime.UTC),
        materials="案卷一册",
        **{field: True for field in ("check_agency_and_officers", "check_procedure", "check_facts_and_evidence")},
    )
    measure = CoerciveMeasureFactory(case=case, approved_by=world.head, number="济任市监强〔2026〕2号")
    SeizedItemFactory(measure=measure, name="某品牌纯牛奶", quantity=Decimal("120"))
    ServiceFactory(case=case, served_by=world.handler1)
    Payment.objects.create(
        case=case,
        amount=Decimal("51234.56"),
        paid_on=datetime.date(2026, 5, 15),
        receipt_number="A0001",
        recorded_by=world.handler1,
    )
    assert notice and review
    return case


EXPECTED_TEXT = {
    DocumentKind.FILING_APPROVAL: ["立案审批表", "济任市监立〔2026〕1号", "同意立案"],
    DocumentKind.INQUIRY_RECORD: ["询问笔录", "被询问人签名"],
    DocumentKind.INSPECTION_RECORD: ["现场检查笔录", "现场检查情况"],
    DocumentKind.PRIOR_NOTICE: ["行政处罚告知书", "济任市监告〔2026〕7号"],
    DocumentKind.HEARING_NOTICE: ["听证通知书", "济任市监听〔2026〕3号", "2026年4月24日", "孙审核", "委托一至二人代理"],
    DocumentKind.HEARING_RECORD: ["听证笔录", "当事人申辩：已主动下架"],
    DocumentKind.LEGAL_REVIEW_OPINION: [
        "法制审核意见书",
        "济任市监法审〔2026〕5号",
        "同意拟处罚意见",
        "☑",
        "☐",
        "A20180001",
    ],
    DocumentKind.PENALTY_DECISION: ["行政处罚决定书", "济任市监罚〔2026〕12号", "举行了听证", "经法制审核"],
    DocumentKind.PROOF_OF_SERVICE: ["送达回证", "《行政处罚决定书》济任市监罚〔2026〕12号", "直接送达", "2026年5月8日"],
    DocumentKind.SEIZURE_DECISION: [
        "扣押决定书",
        "济任市监强〔2026〕2号",
        "某品牌纯牛奶",
        "250ml/盒",
        "120",
        "第二十五条",
    ],
    DocumentKind.CLOSING_REPORT: ["结案报告", "济任市监结〔2026〕1号", "51,234.56", "同意结案"],
}


def test_every_kind_has_a_template():
    assert set(DOCUMENT_TEMPLATES) == set(DocumentKind)


@pytest.mark.parametrize("kind", list(EXPECTED_TEXT))
def test_every_kind_renders(world, full_case, kind):
    doc = generate(full_case, kind, world.handler1)
    data = stored_bytes(doc)
    assert data.startswith(b"%PDF") and doc.sha256 == hashlib.sha256(data).hexdigest()
    text = pdf_text(data)
    assert world.agency.name in text
    assert PARTY in text or kind == DocumentKind.INQUIRY_RECORD
    for expected in EXPECTED_TEXT[kind]:
        assert squash(expected) in text, expected


def test_available_kinds_follow_the_case(world, full_case):
    assert set(available_kinds(full_case)) == set(EXPECTED_TEXT)
    filed = party_case(world, builder=document_filed_case, number="济任市监立〔2026〕9号")
    assert available_kinds(filed) == [
        DocumentKind.FILING_APPROVAL,
        DocumentKind.INQUIRY_RECORD,
        DocumentKind.INSPECTION_RECORD,
    ]
    lead = CaseFactory(agency=world.agency, registered_by=world.handler1)
    assert available_kinds(lead) == []


def test_closing_report_takes_its_number_once(world, full_case):
    first = generate(full_case, DocumentKind.CLOSING_REPORT, world.head)
    second = generate(full_case, DocumentKind.CLOSING_REPORT, world.head)
    assert first.number == second.number == "济任市监结〔2026〕1号"
    first.refresh_from_db()
    assert first.superseded_by == second


def test_inquiry_record_prints_the_questions_and_answers(world):
    case = party_case(world, builder=document_filed_case)
    doc = generate(
        case,
        DocumentKind.INQUIRY_RECORD,
        world.handler1,
        context={
            "asked_on": datetime.date(2026, 3, 5),
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(10, 30),
            "place": "当事人经营场所",
            "person": "王某",
            "relation": "法定代表人",
            "qa": [
                {"question": "这批牛奶是从哪里进的货？", "answer": "从济宁某批发部进的货。"},
                ("你知道已经过期了吗？", "不知道。"),
            ],
        },
    )
    assert doc.number == ""
    text = pdf_text(stored_bytes(doc))
    for expected in (
        "询问笔录",
        "济任市监立〔2026〕1号",
        "2026年3月5日9时00分至10时30分",
        "当事人经营场所",
        "王某",
        "这批牛奶是从哪里进的货？",
        "从济宁某批发部进的货。",
        "你知道已经过期了吗？",
        "李明",
    ):
        assert squash(expected) in text, expected


def test_inspection_record_prints_the_findings(world):
    case = party_case(world, builder=document_filed_case)
    doc = generate(
        case,
        DocumentKind.INSPECTION_RECORD,
        world.handler1,
        context={
            "inspected_on": datetime.date(2026, 3, 2),
            "place": "当事人仓库",
            "findings": "货架上陈列过期纯牛奶120盒。",
        },
    )
    text = pdf_text(stored_bytes(doc))
    assert "货架上陈列过期纯牛奶120盒。" in text and "当事人仓库" in text and PARTY in text


def test_no_penalty_decision(world):
    case = party_case(
        world,
        decision_kind=DecisionKind.NO_PENALTY_FIRST,
        decision_number="济任市监不罚〔2026〕2号",
        penalty_kinds=[],
        fine_amount=None,
        confiscated_amount=None,
    )
    doc = generate(case, DocumentKind.NO_PENALTY_DECISION, world.head)
    text = pdf_text(stored_bytes(doc))
    for expected in (
        "不予行政处罚决定书",
        "济任市监不罚〔2026〕2号",
        PARTY,
        "初次违法且危害后果轻微并及时改正",
        "第三十三条第一款",
        "决定对当事人不予行政处罚",
        "六十日内",
        "六个月内",
    ):
        assert squash(expected) in text, expected
    assert "加处罚款" not in text


def test_summary_decision(world):
    case = CaseFactory(
        agency=world.agency,
        registered_by=world.handler1,
        procedure=Procedure.SUMMARY,
        state=CaseState.DECIDED,
        title="张三占道经营案",
        power_item=world.power_item,
        facts="当事人在任城区某路占道经营。",
        decision_kind=DecisionKind.PENALTY,
        decision_number="济任市监当罚〔2026〕4号",
        decided_on=datetime.date(2026, 3, 2),
        penalty_kinds=[PenaltyKind.FINE],
        fine_amount=Decimal("200"),
        spot_place="任城区某路与某街交叉口",
    )
    case.handlers.set([world.handler1, world.handler2])
    person = PersonPartyFactory(case=case)
    assert DocumentKind.SUMMARY_DECISION in available_kinds(case)
    assert DocumentKind.PENALTY_DECISION not in available_kinds(case)
    text = pdf_text(stored_bytes(generate(case, DocumentKind.SUMMARY_DECISION, world.handler1)))
    for expected in (
        "当场行政处罚决定书",
        "济任市监当罚〔2026〕4号",
        person.id_number,
        "200.00元（大写：贰佰元整）",
        "任城区某路与某街交叉口",
        "当事人签名",
        "第五十一条",
        "六十日内",
    ):
        assert squash(expected) in text, expected


def test_proof_of_service_before_service_is_a_form_for_the_latest_document(world):
    case = party_case(world, builder=document_filed_case, state=CaseState.NOTIFIED)
    PriorNoticeFactory(case=case, number="济任市监告〔2026〕8号")
    text = pdf_text(stored_bytes(generate(case, DocumentKind.PROOF_OF_SERVICE, world.handler1)))
    assert "《行政处罚告知书》济任市监告〔2026〕8号" in text and "受送达人签名或盖章" in text


def test_entrusted_organisation_prints_in_the_name_of_the_entrusting_agency(world):
    from lawenforce.models import AgencyKind
    from tests.factories import AgencyFactory, OfficerFactory

    entrusted = AgencyFactory(
        region=world.agency.region,
        kind=AgencyKind.ENTRUSTED,
        entrusting_agency=world.agency,
        name="任城区某街道综合执法队",
    )
    officer = OfficerFactory(agency=entrusted)
    case = party_case(world, agency=entrusted, registered_by=officer)
    text = pdf_text(stored_bytes(generate(case, DocumentKind.PENALTY_DECISION, officer)))
    assert world.agency.name in text
    assert "任城区某街道综合执法队" not in text


def test_a_prior_notice_row_is_enough_for_the_notice(world):
    # PriorNotice created directly (no workflow) is what the document reads.
    case = party_case(world, builder=document_filed_case, state=CaseState.NOTIFIED)
    PriorNotice.objects.create(
        case=case,
        number="X告〔2026〕1号",
        served_on=datetime.date(2026, 4, 1),
        statement_deadline=datetime.date(2026, 4, 8),
    )
    assert DocumentKind.PRIOR_NOTICE in available_kinds(case)


def test_each_inquiry_record_is_kept_as_its_own_record(world):
    case = party_case(world, builder=document_filed_case)
    first = generate(case, DocumentKind.INQUIRY_RECORD, world.handler1, context={"qa": [("你是谁？", "店主。")]})
    second = generate(case, DocumentKind.INQUIRY_RECORD, world.handler1, context={"qa": [("你是谁？", "店员。")]})
    first.refresh_from_db()
    assert first.superseded_by is None and second.superseded_by is None
    assert case.documents.filter(kind=DocumentKind.INQUIRY_RECORD, superseded_by__isnull=True).count() == 2
