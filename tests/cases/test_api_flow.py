"""Cases end to end through the API, with the real workflow functions."""

import datetime
import hashlib

import pytest
from rest_framework.test import APIClient

from cases import workflow
from cases.models import CaseState
from tests.cases.factories import CaseFactory, PersonPartyFactory, resident_id
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

API = "/api/v1"


def token_client(officer):
    """A mobile terminal: logs in with username and password and uses the token from then on."""
    response = APIClient().post(f"{API}/auth/token/", {"username": officer.user.username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_summary_case_end_to_end(world, media):
    officer, head = token_client(world.handler1), token_client(world.head)
    case = ok(
        officer.post(
            f"{API}/summary-cases/",
            {
                "officers": [world.handler1.pk, world.handler2.pk],
                "power_item": world.power_item.pk,
                "party": {"kind": "natural_person", "name": "张三", "id_number": resident_id(), "phone": "13812345678"},
                "facts": "当事人在店内销售超过保质期的面包 2 袋。",
                "penalty_kinds": ["warning", "fine"],
                "fine": "200",
                "place": "济宁市任城区某路 1 号",
                "decided_on": "2026-04-01",
            },
            format="json",
        ),
        201,
    )
    assert case["procedure"] == "summary"
    assert case["state"] == CaseState.DECIDED
    assert case["fine_amount"] == "200.00"
    assert case["decision_number"]
    assert case["parties"][0]["id_number"] == resident_id()  # an officer of the agency sees it in full
    url = case["url"]

    document = ok(officer.post(f"{url}documents/", {"kind": "summary_decision"}), 201)
    pdf = officer.get(document["download_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == document["sha256"]

    case = ok(officer.post(f"{url}serve/", {"method": "on_the_spot", "served_on": "2026-04-01", "recipient": "张三"}))
    assert case["state"] == CaseState.EXECUTING
    case = ok(officer.post(f"{url}report/", {"reported_on": "2026-04-02"}))
    assert case["reported_on"] == "2026-04-02"
    case = ok(officer.post(f"{url}payments/", {"amount": "200.00", "paid_on": "2026-04-03", "receipt_number": "R001"}))
    assert case["payments"][0]["amount"] == "200.00"
    case = ok(head.post(f"{url}close/", {"closed_on": "2026-04-05"}))
    assert case["state"] == CaseState.CLOSED
    case = ok(officer.post(f"{url}archive/", {"archived_on": "2026-04-06"}))
    assert case["state"] == CaseState.ARCHIVED
    assert [e["to_state"] for e in case["events"] if e["to_state"]][-3:] == ["executing", "closed", "archived"]
    assert case["documents"][0]["download_url"] == document["download_url"]


def test_summary_case_over_the_limit_is_refused_with_the_workflows_message(world):
    response = token_client(world.handler1).post(
        f"{API}/summary-cases/",
        {
            "officers": [world.handler1.pk],
            "power_item": world.power_item.pk,
            "party": {"kind": "natural_person", "name": "张三", "id_number": resident_id()},
            "facts": "x",
            "penalty_kinds": ["fine"],
            "fine": "201",
            "place": "x",
            "decided_on": "2026-04-01",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["article"] == "《行政处罚法》第五十一条"
    assert body["field"] == "fine"
    assert body["detail"].endswith("（《行政处罚法》第五十一条）")


def test_seizure_imposed_extended_and_released_through_the_api(world):
    case = CaseFactory(
        agency=world.agency,
        state=CaseState.INVESTIGATING,
        power_item=world.power_item,
        registered_by=world.handler1,
        number="济任市监立〔2026〕1号",
    )
    case.handlers.set([world.handler1, world.handler2])
    PersonPartyFactory(case=case)
    head = token_client(world.head)
    url = f"{API}/cases/{case.pk}/"
    body = ok(
        head.post(
            f"{url}measures/",
            {
                "kind": "seizure",
                "decided_on": "2026-03-10",
                "reason": "涉案食品可能被转移",
                "place": "仓库",
                "items": [{"name": "过期面包", "quantity": "20", "unit": "袋"}],
            },
            format="json",
        )
    )
    measure = body["measures"][0]
    assert measure["items"][0]["quantity"] == "20.00"
    body = ok(head.post(f"{url}measures/{measure['id']}/extend/", {"days": 30, "reason": "情况复杂，需检验"}))
    assert body["measures"][0]["extended_days"] == 30
    body = ok(
        head.post(
            f"{url}measures/{measure['id']}/end/", {"state": "released", "ended_on": "2026-04-20", "reason": "检验合格"}
        )
    )
    assert body["measures"][0]["state"] == "released"
    assert head.post(f"{url}measures/999999/end/", {}).status_code == 404


ORDINARY_STEPS = (
    "register_lead",
    "approve_filing",
    "complete_investigation",
    "give_prior_notice",
    "waive_statement",
    "proceed_to_decision",
    "give_legal_review",
    "record_deliberation",
    "decide",
    "available_actions",
)


@pytest.mark.skipif(
    not all(hasattr(workflow, name) for name in ORDINARY_STEPS), reason="the ordinary-procedure workflow is not in yet"
)
def test_ordinary_case_end_to_end(world, media):
    officer, colleague, head, reviewer = (
        token_client(world.handler1),
        token_client(world.handler2),
        token_client(world.head),
        token_client(world.reviewer),
    )
    case = ok(
        officer.post(
            f"{API}/cases/",
            {
                "source": "inspection",
                "title": "济宁某某食品有限公司经营超过保质期食品案",
                "lead_received_on": "2026-03-02",
                "lead_summary": "日常检查发现货架上有超过保质期的食品。",
                "power_item": world.power_item.pk,
                "parties": [
                    {
                        "kind": "legal_person",
                        "name": "济宁某某食品有限公司",
                        "uscc": "91330100799655058B",
                        "legal_representative": "王某",
                        "address": "山东省济宁市任城区某路1号",
                    }
                ],
            },
            format="json",
        ),
        201,
    )
    assert case["state"] == CaseState.LEAD
    url = case["url"]
    actions = {a["name"]: a for a in case["available_actions"]}
    assert actions["approve_filing"]["allowed"] is False  # the registering officer is not the head
    assert actions["approve_filing"]["reasons"] == ["立案须由行政机关负责人批准，请提交机关负责人办理。"]
    assert actions["approve_filing"]["url"] == f"{url}approve-filing/"

    case = ok(
        head.post(
            f"{url}approve-filing/",
            {
                "handlers": [world.handler1.pk, world.handler2.pk],
                "power_item": world.power_item.pk,
                "violation_date": "2026-03-01",
                "filed_on": "2026-03-03",
            },
            format="json",
        )
    )
    assert case["state"] == CaseState.INVESTIGATING
    assert case["number"]
    case = ok(
        officer.post(
            f"{url}complete-investigation/",
            {
                "facts": "当事人经营超过保质期的食品，货值金额 3,000 元。",
                "evidence_summary": "现场检查笔录、询问笔录、照片。",
                "discretion_standard": world.standard.pk,
                "penalty_kinds": ["fine", "confiscate_gains"],
                "fine": "60000",
                "confiscation": "500.00",
                "is_major": True,
                "major_reason": "较大数额罚款",
                "is_complex": True,
            },
            format="json",
        )
    )
    assert case["state"] == CaseState.UNDER_REVIEW
    case = ok(officer.post(f"{url}prior-notice/", {"served_on": "2026-04-01"}))
    assert case["state"] == CaseState.NOTIFIED
    assert case["prior_notice"]["hearing_right"] is False  # 60,000 yuan is below the 100,000 for organisations
    case = ok(colleague.post(f"{url}waive-statement/", {"waived_on": "2026-04-02"}))
    case = ok(officer.post(f"{url}proceed/", {}))
    assert case["state"] == CaseState.LEGAL_REVIEW

    queue = ok(reviewer.get(f"{API}/reviews/"))["results"]
    review = next(r for r in queue if r["case"]["id"] == case["id"])
    checklist = [
        "check_agency_and_officers",
        "check_procedure",
        "check_facts_and_evidence",
        "check_law_and_discretion",
        "check_authority",
        "check_documents",
        "check_crime_transfer",
    ]
    case = ok(
        reviewer.post(
            f"{API}/reviews/{review['id']}/decision/",
            {"outcome": "approved", "opinion": "事实清楚，证据充分，同意。", "checklist": checklist},
            format="json",
        )
    )
    assert case["state"] == CaseState.DELIBERATION
    second_head = world.head.__class__.objects.create(
        user=world.uncertified.user.__class__.objects.create_user("head2", password=PASSWORD),
        agency=world.agency,
        name="副局长",
        is_agency_head=True,
    )
    case = ok(
        head.post(
            f"{url}deliberation/",
            {"held_on": "2026-04-20", "participants": [world.head.pk, second_head.pk], "conclusion": "同意处罚。"},
            format="json",
        )
    )
    assert case["state"] == CaseState.PENDING_DECISION
    case = ok(
        head.post(
            f"{url}decide/",
            {
                "kind": "penalty",
                "decided_on": "2026-04-21",
                "penalty_kinds": ["fine", "confiscate_gains"],
                "fine": "60000.00",
                "confiscation": "500.00",
            },
            format="json",
        )
    )
    assert case["state"] == CaseState.DECIDED
    assert case["fine_amount"] == "60000.00"
    case = ok(officer.post(f"{url}serve/", {"method": "direct", "served_on": "2026-04-22", "recipient": "王某"}))
    assert case["state"] == CaseState.EXECUTING
    case = ok(officer.post(f"{url}payments/", {"amount": "60500.00", "paid_on": "2026-04-30", "receipt_number": "R1"}))
    case = ok(head.post(f"{url}close/", {"closed_on": "2026-05-06"}))
    case = ok(officer.post(f"{url}archive/", {"archived_on": "2026-05-08"}))
    assert case["state"] == CaseState.ARCHIVED


@pytest.mark.skipif(
    not all(hasattr(workflow, name) for name in ORDINARY_STEPS), reason="the ordinary-procedure workflow is not in yet"
)
def test_hearing_return_and_resubmission_through_the_api(world):
    case = CaseFactory(
        agency=world.agency,
        state=CaseState.INVESTIGATING,
        power_item=world.power_item,
        registered_by=world.handler1,
        number="济任市监立〔2026〕7号",
        filed_on=datetime.date(2026, 3, 3),
        violation_date=datetime.date(2026, 3, 1),
    )
    case.handlers.set([world.handler1, world.handler2])
    PersonPartyFactory(case=case)
    officer, head, reviewer = token_client(world.handler1), token_client(world.head), token_client(world.reviewer)
    url = f"{API}/cases/{case.pk}/"
    ok(head.post(f"{url}extensions/", {"days": 30, "reason": "案情复杂", "approved_on": "2026-03-20"}))
    body = ok(
        officer.post(
            f"{url}complete-investigation/",
            {
                "facts": "当事人经营超过保质期的食品。",
                "evidence_summary": "现场检查笔录。",
                "discretion_standard": world.standard.pk,
                "penalty_kinds": ["fine"],
                "fine": "50000",
            },
            format="json",
        )
    )
    body = ok(officer.post(f"{url}prior-notice/", {"served_on": "2026-04-01", "approved_by": world.head.pk}))
    assert body["prior_notice"]["hearing_right"] is True  # a citizen, 50,000 yuan
    body = ok(officer.post(f"{url}hearing-request/", {"requested_on": "2026-04-03"}))
    assert body["state"] == CaseState.HEARING
    refused = head.post(
        f"{url}hearing-schedule/",
        {"host": world.handler2.pk, "notice_served_on": "2026-04-07", "scheduled_on": "2026-04-20", "place": "听证室"},
    )
    assert refused.status_code == 400
    assert refused.json()["article"].startswith("《行政处罚法》第六十四条")
    ok(
        head.post(
            f"{url}hearing-schedule/",
            {
                "host": world.reviewer.pk,
                "notice_served_on": "2026-04-07",
                "scheduled_on": "2026-04-20",
                "place": "听证室",
            },
        )
    )
    ok(
        officer.post(
            f"{url}hearing-record/", {"held_on": "2026-04-20", "record": "当事人申辩称……", "signed_by_party": True}
        )
    )
    body = ok(officer.post(f"{url}proceed/", {"materials": "听证笔录等"}))
    assert body["state"] == CaseState.LEGAL_REVIEW
    review = body["legal_reviews"][-1]["id"]
    returned = ok(
        reviewer.post(f"{API}/reviews/{review}/decision/", {"outcome": "returned", "opinion": "证据不足，请补充。"})
    )
    assert returned["state"] == CaseState.INVESTIGATING
    body = ok(officer.post(f"{url}resubmit-review/", {"materials": "补充了检验报告"}))
    assert body["state"] == CaseState.LEGAL_REVIEW
    assert len(body["legal_reviews"]) == 2
    action = next(a for a in ok(reviewer.get(url))["available_actions"] if a["name"] == "give_legal_review")
    assert action["url"].endswith(f"/api/v1/reviews/{body['legal_reviews'][-1]['id']}/decision/")
