"""Cases end to end through the officer's pages (the browser views), with the real workflow."""

import pytest
from django.urls import reverse

from cases.models import REVIEW_CHECKLIST, Case, CaseState, Document, LegalReview
from lawenforce.models import Officer
from tests.cases.factories import resident_id
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post(client, officer, url, data, expect=302):
    client.force_login(officer.user)
    response = client.post(url, data)
    assert response.status_code == expect, _errors(response)
    return response


def _errors(response):
    import re

    html = response.content.decode()
    return re.findall(
        r'(?s)<div class="notice notice-bad[^>]*>(.*?)</div>|<ul class="field-errors"[^>]*>(.*?)</ul>', html
    )


def step(client, officer, case, name, data=None, expect=302):
    response = post(client, officer, reverse("cases:step", args=[case.pk, name]), data or {}, expect)
    case.refresh_from_db()
    return response


def test_ordinary_case_end_to_end_through_the_pages(client, world, media):
    second_head = Officer.objects.create(
        user=UserFactory(username="head2"), agency=world.agency, name="副局长", is_agency_head=True
    )
    # Lead (线索登记) by an officer, with one organisation party.
    response = post(
        client,
        world.handler1,
        reverse("cases:new"),
        {
            "source": "inspection",
            "title": "济宁某某食品有限公司经营超过保质期食品案",
            "lead_received_on": "2026-03-02",
            "lead_summary": "日常检查发现货架上有超过保质期的食品。",
            "power_item": world.power_item.pk,
            "parties-TOTAL_FORMS": "1",
            "parties-INITIAL_FORMS": "0",
            "parties-0-kind": "legal_person",
            "parties-0-name": "济宁某某食品有限公司",
            "parties-0-uscc": "91330100799655058B",
            "parties-0-legal_representative": "王某",
            "parties-0-address": "山东省济宁市任城区某路1号",
        },
    )
    case = Case.objects.get()
    assert response.url == reverse("cases:detail", args=[case.pk])
    html = client.get(response.url).content.decode()
    assert "立案须由行政机关负责人批准" in html  # the officer sees why they cannot approve

    filing = {
        "handlers": [world.handler1.pk, world.handler2.pk],
        "power_item": world.power_item.pk,
        "violation_date": "2026-03-01",
        "filed_on": "2026-03-03",
    }
    # An uncertified handler is refused with the article; the input stays.
    refused = step(client, world.head, case, "approve_filing", {**filing, "handlers": [world.handler1.pk]}, 400)
    assert "第四十二条" in refused.content.decode()
    step(client, world.head, case, "approve_filing", filing)
    assert case.state == CaseState.INVESTIGATING and case.number

    # Field work: an inquiry record with questions and answers becomes a document.
    post(
        client,
        world.handler1,
        reverse("cases:field-record", args=[case.pk, "inquiry"]),
        {
            "asked_on": "2026-03-04",
            "place": "当事人经营场所",
            "person": "王某",
            "relation": "法定代表人",
            "qa-TOTAL_FORMS": "2",
            "qa-INITIAL_FORMS": "0",
            "qa-0-question": "货架上的牛奶是谁进的货？",
            "qa-0-answer": "是我们公司采购的。",
        },
    )
    assert Document.objects.filter(case=case, kind="inquiry_record").exists()

    step(
        client,
        world.handler1,
        case,
        "complete_investigation",
        {
            "facts": "当事人经营超过保质期的食品，货值金额 3,000 元。",
            "evidence_summary": "现场检查笔录、询问笔录、照片。",
            "discretion_standard": world.standard.pk,
            "penalty_kinds": ["fine", "confiscate_gains"],
            "fine": "60000",
            "confiscation": "500.00",
            "is_major": "on",
            "major_reason": "较大数额罚款",
            "is_complex": "on",
        },
    )
    assert case.state == CaseState.UNDER_REVIEW
    step(client, world.handler1, case, "give_prior_notice", {"served_on": "2026-04-01", "approved_by": world.head.pk})
    assert case.state == CaseState.NOTIFIED
    step(client, world.handler2, case, "waive_statement", {"waived_on": "2026-04-02"})
    step(client, world.handler1, case, "proceed_to_decision", {"materials": "全部案卷"})
    assert case.state == CaseState.LEGAL_REVIEW

    # Legal review through the queue.
    client.force_login(world.reviewer.user)
    queue = client.get(reverse("cases:review-queue")).content.decode()
    review = LegalReview.objects.get(case=case)
    assert reverse("cases:review", args=[review.pk]) in queue
    incomplete = post(
        client,
        world.reviewer,
        reverse("cases:review", args=[review.pk]),
        {"outcome": "approved", "opinion": "同意。"},
        expect=400,
    )
    assert "同意。" in incomplete.content.decode()
    post(
        client,
        world.reviewer,
        reverse("cases:review", args=[review.pk]),
        {"outcome": "approved", "opinion": "事实清楚，证据充分，同意。", **{k: "on" for k, _ in REVIEW_CHECKLIST}},
    )
    case.refresh_from_db()
    assert case.state == CaseState.DELIBERATION
    step(
        client,
        world.head,
        case,
        "record_deliberation",
        {"held_on": "2026-04-20", "participants": [world.head.pk, second_head.pk], "conclusion": "同意处罚。"},
    )
    assert case.state == CaseState.PENDING_DECISION
    step(
        client,
        world.head,
        case,
        "decide",
        {
            "kind": "penalty",
            "decided_on": "2026-04-21",
            "penalty_kinds": ["fine", "confiscate_gains"],
            "fine": "60000.00",
            "confiscation": "500.00",
        },
    )
    assert case.state == CaseState.DECIDED and case.decision_number

    # Documents: generate the decision from the case page and download it.
    client.force_login(world.handler1.user)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'value="penalty_decision"' in html
    post(client, world.handler1, reverse("cases:generate-document", args=[case.pk]), {"kind": "penalty_decision"})
    document = Document.objects.get(case=case, kind="penalty_decision")
    pdf = client.get(reverse("cases:document", args=[case.pk, document.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    step(
        client,
        world.handler1,
        case,
        "serve_decision",
        {"method": "direct", "served_on": "2026-04-22", "recipient": "王某"},
    )
    assert case.state == CaseState.EXECUTING
    step(
        client,
        world.handler1,
        case,
        "record_payment",
        {"amount": "60500.00", "paid_on": "2026-04-30", "receipt_number": "R1"},
    )
    step(client, world.head, case, "close_case", {"closed_on": "2026-05-06"})
    assert case.state == CaseState.CLOSED
    step(client, world.handler1, case, "archive_case", {"archived_on": "2026-05-08"})
    assert case.state == CaseState.ARCHIVED

    # The timeline tells the whole story.
    client.force_login(world.head.user)
    html = client.get(reverse("cases:timeline", args=[case.pk])).content.decode()
    for text in (
        "王局长",
        "李明",
        "孙审核",
        "调查取证",
        "已归档",
        "当事人",
        "法制审核",
        "缴款记录",
        "事实清楚，证据充分，同意。",
    ):
        assert text in html, text


def test_summary_case_through_the_phone_pages(client, world, media):
    client.force_login(world.handler1.user)
    page = client.get(reverse("cases:summary-new")).content.decode()
    assert 'type="date"' in page and 'name="viewport"' in page
    data = {
        "power_item": world.power_item.pk,
        "officers": [world.handler1.pk, world.handler2.pk],
        "party_kind": "natural_person",
        "party_name": "张三",
        "party_id_number": resident_id(),
        "party_phone": "13812345678",
        "facts": "当事人在店内销售超过保质期的面包 2 袋。",
        "place": "济宁市任城区某路 1 号",
        "decided_on": "2026-04-01",
        "penalty_kinds": ["warning", "fine"],
        "fine": "201",
    }
    refused = post(client, world.handler1, reverse("cases:summary-new"), data, expect=400)
    html = refused.content.decode()
    assert "《行政处罚法》第五十一条" in html and 'value="201"' in html and "当事人在店内销售" in html
    assert not Case.objects.exists()
    post(client, world.handler1, reverse("cases:summary-new"), {**data, "fine": "200"})
    case = Case.objects.get()
    assert case.procedure == "summary" and case.state == CaseState.DECIDED
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert resident_id() not in html
    step(
        client,
        world.handler1,
        case,
        "serve_decision",
        {"method": "on_the_spot", "served_on": "2026-04-01", "recipient": "张三"},
    )
    step(client, world.handler1, case, "report_summary_case", {"reported_on": "2026-04-02"})
    step(
        client,
        world.handler1,
        case,
        "record_payment",
        {"amount": "200.00", "paid_on": "2026-04-03", "receipt_number": "R001"},
    )
    step(client, world.head, case, "close_case", {"closed_on": "2026-04-05"})
    step(client, world.handler1, case, "archive_case", {"archived_on": "2026-04-06"})
    assert case.state == CaseState.ARCHIVED


def test_seizure_with_items_extended_and_released(client, world):
    from tests.cases.factories import document_filed_case

    case = document_filed_case(world)
    post(
        client,
        world.head,
        reverse("cases:impose-measure", args=[case.pk]),
        {
            "kind": "seizure",
            "decided_on": "2026-03-10",
            "reason": "涉案食品可能被转移",
            "place": "仓库",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-name": "过期面包",
            "items-0-quantity": "20",
            "items-0-unit": "袋",
        },
    )
    measure = case.measures.get()
    assert [i.name for i in measure.items.all()] == ["过期面包"]
    url = reverse("cases:measure-step", args=[case.pk, measure.pk, "extend"])
    post(client, world.head, url, {"days": "30", "reason": "情况复杂，需检验"})
    refused = post(client, world.head, url, {"days": "10", "reason": "再延长"}, expect=400)
    assert "第二十五条" in refused.content.decode()
    post(
        client,
        world.head,
        reverse("cases:measure-step", args=[case.pk, measure.pk, "end"]),
        {"state": "released", "ended_on": "2026-04-20", "reason": "检验合格"},
    )
    measure.refresh_from_db()
    assert measure.state == "released"


def test_inspection_record_on_a_phone_becomes_a_document(client, world, media):
    from tests.cases.factories import document_filed_case

    case = document_filed_case(world)
    url = reverse("cases:field-record", args=[case.pk, "inspection"])
    client.force_login(world.handler1.user)
    page = client.get(url).content.decode()
    assert 'type="date"' in page and 'type="time"' in page and "phone-form" in page
    missing = post(client, world.handler1, url, {"inspected_on": "2026-03-04", "findings": "货架上有过期牛奶"}, 400)
    assert "货架上有过期牛奶" in missing.content.decode()
    post(
        client,
        world.handler1,
        url,
        {
            "inspected_on": "2026-03-04",
            "start_time": "09:30",
            "place": "当事人经营场所",
            "findings": "货架上有过期牛奶",
        },
    )
    assert Document.objects.filter(case=case, kind="inspection_record").exists()
