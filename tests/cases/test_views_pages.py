"""The officer's case pages: scope and roles, the list with its filters and bounded queries, the
case page, refused steps, the legal-review queue and the timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.errors import WorkflowError
from cases.models import REVIEW_CHECKLIST, Case, CaseState, Party, ReviewOutcome
from tests.cases.factories import (
    CaseFactory,
    LegalReviewFactory,
    PartyFactory,
    PersonPartyFactory,
    document_filed_case,
    resident_id,
)
from tests.factories import AgencyFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def get(client, officer, url, **params):
    client.force_login(officer.user)
    response = client.get(url, params)
    return response, response.content.decode()


def other_officer(world):
    return OfficerFactory(agency=world.other_agency, name="外单位人员")


def supervisor(regions, region="city"):
    justice = AgencyFactory(name="济宁市司法局", region=regions[region], sector="justice")
    return OfficerFactory(agency=justice, name="郑监督", is_supervisor=True, user=UserFactory(username="supervisor"))


# --- Scope and roles ----------------------------------------------------------------------------


def test_pages_require_login(client, world):
    case = CaseFactory(agency=world.agency)
    for url in (reverse("cases:list"), reverse("cases:detail", args=[case.pk]), reverse("cases:review-queue")):
        assert client.get(url).status_code == 302


def test_officer_of_another_agency_gets_404_on_every_case_page(client, world):
    case = document_filed_case(world)
    review = LegalReviewFactory(case=case, submitted_by=world.handler1)
    stranger = other_officer(world)
    urls = [
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:timeline", args=[case.pk]),
        reverse("cases:step", args=[case.pk, "complete_investigation"]),
        reverse("cases:step", args=[case.pk, "approve_filing"]),
        reverse("cases:impose-measure", args=[case.pk]),
        reverse("cases:field-record", args=[case.pk, "inquiry"]),
    ]
    for url in urls:
        assert get(client, stranger, url)[0].status_code == 404, url
    response = client.post(reverse("cases:step", args=[case.pk, "complete_investigation"]), {"facts": "x"})
    assert response.status_code == 404
    # A reviewer of the other agency: the queue is theirs (empty), the review page 404.
    stranger.is_legal_reviewer = True
    stranger.save()
    response, html = get(client, stranger, reverse("cases:review-queue"))
    assert response.status_code == 200 and case.title not in html
    assert get(client, stranger, reverse("cases:review", args=[review.pk]))[0].status_code == 404
    assert case.title not in get(client, stranger, reverse("cases:list"))[1]


def test_review_queue_is_for_legal_reviewers_only(client, world):
    for officer in (world.handler1, world.head):
        assert get(client, officer, reverse("cases:review-queue"))[0].status_code == 403
    review = LegalReviewFactory(case=document_filed_case(world), submitted_by=world.handler1)
    assert get(client, world.handler1, reverse("cases:review", args=[review.pk]))[0].status_code == 403
    assert get(client, world.reviewer, reverse("cases:review-queue"))[0].status_code == 200


def test_unknown_step_is_404(client, world):
    case = document_filed_case(world)
    assert get(client, world.handler1, reverse("cases:step", args=[case.pk, "delete_everything"]))[0].status_code == 404


def test_supervisor_sees_region_cases_read_only(client, world, regions):
    case = document_filed_case(world)
    far = CaseFactory(agency=world.other_agency, title="菏泽的案件")
    watcher = supervisor(regions)
    response, html = get(client, watcher, reverse("cases:list"))
    assert response.status_code == 200
    assert case.title in html and far.title not in html
    assert reverse("cases:new") not in html
    response, html = get(client, watcher, reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    assert 'id="next-steps"' not in html
    assert get(client, watcher, reverse("cases:step", args=[case.pk, "complete_investigation"]))[0].status_code == 404
    assert get(client, watcher, reverse("cases:new"))[0].status_code == 403


def test_nav_links_for_officers_and_reviewers(client, world):
    html = get(client, world.handler1, reverse("cases:list"))[1]
    assert 'data-nav="cases"' in html and 'data-nav="reviews"' not in html
    assert 'aria-current="page" data-nav="cases"' in html
    html = get(client, world.reviewer, reverse("cases:review-queue"))[1]
    assert 'data-nav="reviews"' in html and 'aria-current="page" data-nav="reviews"' in html


# --- My cases -----------------------------------------------------------------------------------


def test_list_is_newest_first_marks_own_cases_and_can_filter_mine(client, world):
    older = document_filed_case(world, number="济任市监立〔2026〕7号", title="我承办的旧案")
    Case.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    CaseFactory(agency=world.agency, registered_by=world.head, title="别人的新线索")
    html = get(client, world.handler1, reverse("cases:list"))[1]
    assert html.index("别人的新线索") < html.index("我承办的旧案")
    own_row = html[html.index("济任市监立〔2026〕7号"):html.index("我承办的旧案")]
    assert "我承办" in own_row
    html = get(client, world.handler1, reverse("cases:list"), mine="on")[1]
    assert "我承办的旧案" in html and "别人的新线索" not in html


def test_list_filters_by_state_power_item_and_search(client, world):
    filed = document_filed_case(world, title="过期牛奶案")
    PartyFactory(case=filed, name="济宁好运来超市有限公司")
    CaseFactory(agency=world.agency, title="噪声扰民线索")
    url = reverse("cases:list")
    html = get(client, world.handler1, url, state=CaseState.LEAD)[1]
    assert "噪声扰民线索" in html and "过期牛奶案" not in html
    html = get(client, world.handler1, url, power_item=world.power_item.pk)[1]
    assert "过期牛奶案" in html and "噪声扰民线索" not in html
    for q in ("好运来", "立〔2026〕1号", "牛奶"):
        html = get(client, world.handler1, url, q=q)[1]
        assert "过期牛奶案" in html and "噪声扰民线索" not in html, q
    assert get(client, world.handler1, url, state="nonsense", page="x")[0].status_code == 200


def test_list_filters_by_deadline(client, world):
    day = timezone.localdate()
    overdue = CaseFactory(
        agency=world.agency, title="超期未立案线索", lead_received_on=day - datetime.timedelta(days=60)
    )
    CaseFactory(agency=world.agency, title="刚收到的线索", lead_received_on=day)
    url = reverse("cases:list")
    html = get(client, world.handler1, url, deadline="overdue")[1]
    assert overdue.title in html and "刚收到的线索" not in html
    html = get(client, world.handler1, url)[1]
    assert "已过期" in html


def test_list_query_count_does_not_grow_with_cases(client, world, django_assert_max_num_queries):
    for n in range(32):
        case = document_filed_case(world, number=f"济任市监立〔2026〕{n + 1}号", title=f"案件{n}")
        PartyFactory(case=case)
        PersonPartyFactory(case=case)
    client.force_login(world.handler1.user)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-label="案号"') == 30
    assert "等 1 人" in html
    with django_assert_max_num_queries(25):
        client.get(reverse("cases:list"), {"deadline": "due7"})


# --- The case page ------------------------------------------------------------------------------


def test_case_page_masks_id_numbers_and_shows_deadlines_and_actions(client, world):
    case = document_filed_case(world)
    PersonPartyFactory(case=case, name="张三", id_number=resident_id("37081119800101123"))
    response, html = get(client, world.handler1, reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    full = resident_id("37081119800101123")
    assert full not in html
    assert "370811********" + full[-4:] in html
    assert "张三" in html and "李明" in html and "赵强" in html
    assert 'id="deadlines"' in html and "作出处罚决定期限" in html
    assert 'data-action="complete_investigation"' in html
    assert reverse("cases:step", args=[case.pk, "complete_investigation"]) in html
    assert reverse("cases:timeline", args=[case.pk]) in html


def test_case_page_shows_what_blocks_a_step(client, world):
    case = CaseFactory(agency=world.agency, registered_by=world.handler1)
    html = get(client, world.handler1, reverse("cases:detail", args=[case.pk]))[1]
    # Only the agency head approves filing: the officer sees why, not a button.
    assert 'data-action="approve_filing"' in html
    assert "机关负责人" in html


def test_case_page_query_count_is_bounded(client, world, django_assert_max_num_queries):
    case = document_filed_case(world)
    for _ in range(5):
        PartyFactory(case=case)
    client.force_login(world.handler1.user)
    with django_assert_max_num_queries(45):
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200


# --- Refused steps ------------------------------------------------------------------------------


def test_refused_step_keeps_input_and_shows_the_article(client, world, monkeypatch):
    from cases import workflow

    case = document_filed_case(world)

    def refuse(case, actor, **kwargs):
        raise WorkflowError(
            "罚款金额超出裁量基准的幅度。", code="fine_out_of_range", article="《行政处罚法》第三十四条"
        )

    monkeypatch.setattr(workflow, "complete_investigation", refuse)
    client.force_login(world.handler1.user)
    response = client.post(
        reverse("cases:step", args=[case.pk, "complete_investigation"]),
        {
            "facts": "销售过期牛奶一百二十盒",
            "evidence_summary": "现场检查笔录",
            "penalty_kinds": ["fine"],
            "fine": "999999",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "罚款金额超出裁量基准的幅度。（《行政处罚法》第三十四条）" in html
    assert "销售过期牛奶一百二十盒" in html and 'value="999999"' in html


def test_a_non_head_approving_filing_is_refused_by_the_workflow(client, world):
    case = CaseFactory(agency=world.agency, registered_by=world.handler1, power_item=world.power_item)
    client.force_login(world.handler1.user)
    day = timezone.localdate()
    response = client.post(
        reverse("cases:step", args=[case.pk, "approve_filing"]),
        {
            "handlers": [world.handler1.pk, world.handler2.pk],
            "power_item": world.power_item.pk,
            "violation_date": (day - datetime.timedelta(days=10)).isoformat(),
            "filed_on": day.isoformat(),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "机关负责人" in html
    case.refresh_from_db()
    assert case.state == CaseState.LEAD


def test_register_lead_shows_validator_messages_and_keeps_input(client, world):
    client.force_login(world.handler1.user)
    data = {
        "source": "complaint",
        "title": "投诉某超市销售过期食品",
        "lead_received_on": timezone.localdate().isoformat(),
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-0-kind": "natural_person",
        "parties-0-name": "张三",
        "parties-0-id_number": "370811198001011230",
    }
    response = client.post(reverse("cases:new"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "居民身份证号码校验位不符" in html
    assert 'value="370811198001011230"' in html and "投诉某超市销售过期食品" in html
    data["parties-0-kind"] = "legal_person"
    data["parties-0-id_number"] = ""
    data["parties-0-uscc"] = "91330100799655058X"
    html = client.post(reverse("cases:new"), data).content.decode()
    assert "统一社会信用代码校验位不符" in html
    assert not Case.objects.exists()


def test_register_lead_with_two_parties(client, world):
    client.force_login(world.handler1.user)
    base = {
        "source": "inspection",
        "title": "检查发现过期食品",
        "lead_received_on": timezone.localdate().isoformat(),
        "power_item": world.power_item.pk,
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-0-kind": "legal_person",
        "parties-0-name": "济宁某某食品有限公司",
        "parties-0-uscc": "91330100799655058B",
        "parties-0-legal_representative": "王某",
    }
    response = client.post(reverse("cases:new"), {**base, "add_party_row": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and 'name="parties-1-name"' in html and "errorlist" not in html
    data = {
        **base,
        "parties-TOTAL_FORMS": "2",
        "parties-1-kind": "natural_person",
        "parties-1-name": "张三",
        "parties-1-id_number": resident_id(),
    }
    response = client.post(reverse("cases:new"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert case.state == CaseState.LEAD and case.registered_by == world.handler1
    assert sorted(Party.objects.filter(case=case).values_list("name", flat=True)) == ["张三", "济宁某某食品有限公司"]


# --- Legal review -------------------------------------------------------------------------------


def test_review_queue_lists_pending_rounds_oldest_first(client, world):
    new = document_filed_case(world, number="济任市监立〔2026〕2号", title="后送审的案件", state=CaseState.LEGAL_REVIEW)
    old = document_filed_case(world, number="济任市监立〔2026〕3号", title="先送审的案件", state=CaseState.LEGAL_REVIEW)
    done = document_filed_case(world, number="济任市监立〔2026〕4号", title="已审完的案件")
    at = datetime.datetime(2026, 4, 20, 9, 0, tzinfo=datetime.UTC)
    LegalReviewFactory(case=new, submitted_by=world.handler1, submitted_at=at)
    LegalReviewFactory(case=old, submitted_by=world.handler1, submitted_at=at - datetime.timedelta(days=3))
    LegalReviewFactory(case=done, submitted_by=world.handler1, submitted_at=at, outcome=ReviewOutcome.APPROVED)
    LegalReviewFactory(case=CaseFactory(agency=world.other_agency, title="外单位送审"), submitted_at=at)
    response, html = get(client, world.reviewer, reverse("cases:review-queue"))
    assert response.status_code == 200
    assert html.index("先送审的案件") < html.index("后送审的案件")
    assert "已审完的案件" not in html and "外单位送审" not in html
    assert "办案期限" in html and ("剩" in html or "已过期" in html)


def test_review_page_shows_case_basis_and_checklist(client, world):
    case = document_filed_case(world, state=CaseState.LEGAL_REVIEW, is_major=True, major_reason="罚款数额较大")
    review = LegalReviewFactory(case=case, submitted_by=world.handler1)
    response, html = get(client, world.reviewer, reverse("cases:review", args=[review.pk]))
    assert response.status_code == 200
    for text in (
        case.facts,
        "现场检查笔录",
        "50000",
        "经营超过保质期的食品",
        "中华人民共和国食品安全法",
        "第一百二十四条",
        "违反本法规定",
        "执法程序合法",
        "退回补充材料",
    ):
        assert text in html, text


def test_reviewer_who_handled_the_case_sees_why_they_cannot_review(client, world):
    case = document_filed_case(world, state=CaseState.LEGAL_REVIEW)
    case.handlers.add(world.reviewer)
    review = LegalReviewFactory(case=case, submitted_by=world.handler1)
    html = get(client, world.reviewer, reverse("cases:review", args=[review.pk]))[1]
    assert "第五十八条" in html
    data = {"outcome": ReviewOutcome.APPROVED, "opinion": "同意。"}
    data.update({key: "on" for key, _label in REVIEW_CHECKLIST})
    response = client.post(reverse("cases:review", args=[review.pk]), data)
    assert response.status_code == 400
    assert "第五十八条" in response.content.decode()
    review.refresh_from_db()
    assert review.outcome == ReviewOutcome.PENDING


# --- Timeline -----------------------------------------------------------------------------------


def test_timeline_tells_who_changed_what_in_plain_chinese(client, world):
    from cases.workflow._base import transition

    case = CaseFactory(agency=world.agency, registered_by=world.handler1, power_item=world.power_item)
    party = PersonPartyFactory(case=case, name="张三", phone="13800000000")
    party.phone = "13900000000"
    party._change_reason = "当事人更换联系电话"
    party.save()
    transition(case, world.head, CaseState.NOT_FILED, "不予立案", summary="违法事实不成立。")
    response, html = get(client, world.handler1, reverse("cases:timeline", args=[case.pk]))
    assert response.status_code == 200
    assert "联系电话：由“13800000000”改为“13900000000”" in html
    assert "当事人更换联系电话" in html
    assert "王局长" in html and "不予立案" in html and "线索登记 → 不予立案" in html
    assert "状态：由“线索登记”改为“不予立案”" in html
    assert party.id_number not in html
    assert "370811********" in html


def test_timeline_query_count_is_bounded(client, world, django_assert_max_num_queries):
    case = document_filed_case(world)
    for n in range(10):
        party = PartyFactory(case=case)
        party.address = f"新地址{n}"
        party.save()
    client.force_login(world.handler1.user)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("cases:timeline", args=[case.pk])).status_code == 200


def test_english_pages_render(client, world):
    case = document_filed_case(world)
    client.force_login(world.handler1.user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for url in (reverse("cases:list"), reverse("cases:detail", args=[case.pk]), reverse("cases:new")):
        assert client.get(url).status_code == 200
