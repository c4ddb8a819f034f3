"""The case API (/api/v1/): tokens, the schema, data scope, refusals, validation, query counts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases import workflow
from cases.errors import WorkflowError
from cases.models import CaseState, PartyKind
from lawenforce.models import Sector
from lawenforce.validators import validate_resident_id, validate_uscc
from tests.cases.factories import CaseFactory, PartyFactory, PersonPartyFactory, resident_id
from tests.factories import PASSWORD, AgencyFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def client_for(officer_or_user=None):
    client = APIClient()
    if officer_or_user is not None:
        client.force_authenticate(getattr(officer_or_user, "user", officer_or_user))
    return client


@pytest.fixture
def supervisor(regions):
    bureau = AgencyFactory(region=regions["city"], sector=Sector.JUSTICE)
    return OfficerFactory(agency=bureau, is_supervisor=True, name="郑监督")


@pytest.fixture
def stranger(world):
    return OfficerFactory(agency=world.other_agency, name="外地执法员")


@pytest.fixture
def case(world):
    case = CaseFactory(agency=world.agency, registered_by=world.handler1, power_item=world.power_item)
    PersonPartyFactory(case=case, phone="13812345678")
    return case


@pytest.fixture
def schema():
    response = client_for(UserFactory()).get(f"{API}/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def case_step_paths(schema):
    """Every POST endpoint on one case, from the schema: the scope tests cover new steps by themselves."""
    return sorted(p for p, ops in schema["paths"].items() if p.startswith(f"{API}/cases/{{id}}/") and "post" in ops)


def concrete(path, case_id):
    """The case's id in {id}, and 1 for any other id in the path ({measure_id}, {remedy_id} …)."""
    return re.sub(r"\{\w+_id\}", "1", path.replace("{id}", str(case_id)))


# --- Tokens ------------------------------------------------------------------------------------


def test_token_for_username_and_password_authenticates_later_requests(world):
    user = world.handler1.user
    response = APIClient().post(f"{API}/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token"] == Token.objects.get(user=user).key
    assert body["officer"] == {"id": world.handler1.pk, "name": "李明"}

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get(f"{API}/cases/").status_code == 200


def test_wrong_password_is_refused_without_a_token(world):
    user = world.handler1.user
    response = APIClient().post(f"{API}/auth/token/", {"username": user.username, "password": "wrong-password"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["用户名或密码不正确。"]}
    assert not Token.objects.filter(user=user).exists()


def test_repeated_failures_lock_out_even_the_right_password(world, settings):
    user = world.handler1.user
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(f"{API}/auth/token/", {"username": user.username, "password": "wrong-password"})
    response = client.post(f"{API}/auth/token/", {"username": user.username, "password": PASSWORD})
    # django-axes' middleware answers a lockout with its own page (429), over the view's answer.
    assert response.status_code in (403, 429)
    assert not Token.objects.filter(user=user).exists()


def test_anonymous_requests_are_refused(case):
    assert APIClient().get(f"{API}/cases/").status_code == 401
    assert APIClient().post(f"{API}/cases/{case.pk}/close/", {"closed_on": "2026-05-01"}).status_code == 401


# --- Schema --------------------------------------------------------------------------------------


def test_schema_is_valid_openapi_listing_every_step(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for step in (
        "parties",
        "approve-filing",
        "decline-filing",
        "extensions",
        "complete-investigation",
        "prior-notice",
        "statement",
        "waive-statement",
        "hearing-request",
        "hearing-schedule",
        "hearing-record",
        "proceed",
        "resubmit-review",
        "deliberation",
        "decide",
        "serve",
        "arrangement",
        "payments",
        "court-application",
        "close",
        "archive",
        "report",
        "measures",
        "measures/{measure_id}/extend",
        "measures/{measure_id}/end",
        "documents",
    ):
        assert f"{API}/cases/{{id}}/{step}/" in paths, step
    for path in (
        "/auth/token/",
        "/cases/",
        "/cases/{id}/",
        "/summary-cases/",
        "/reviews/",
        "/reviews/{id}/decision/",
        "/documents/{id}/file/",
    ):
        assert f"{API}{path}" in paths, path
    refusal = schema["paths"][f"{API}/cases/{{id}}/approve-filing/"]["post"]["responses"]["400"]
    assert refusal["content"]["application/json"]["schema"]["$ref"].endswith("/Refusal")


def test_swagger_ui_only_with_local_assets(settings):
    response = client_for(UserFactory()).get(f"{API}/docs/")
    if "drf_spectacular_sidecar" in settings.INSTALLED_APPS:
        assert response.status_code == 200
        assert b"cdn." not in response.content
    else:
        assert response.status_code == 404  # no page that loads Swagger UI from a CDN


# --- Scope ---------------------------------------------------------------------------------------


def test_officer_of_another_agency_gets_404_on_the_case_and_every_step(case, stranger, schema):
    client = client_for(stranger)
    assert client.get(f"{API}/cases/").json()["count"] == 0
    assert client.get(f"{API}/cases/{case.pk}/").status_code == 404
    paths = case_step_paths(schema)
    assert len(paths) >= 25
    for path in paths:
        response = client.post(concrete(path, case.pk), {}, format="json")
        assert response.status_code == 404, path
        assert response.json()["detail"] == "没有找到该记录，或您无权查看。"


def test_supervisor_reads_with_masked_numbers_but_cannot_act(case, supervisor, schema):
    client = client_for(supervisor)
    listed = client.get(f"{API}/cases/").json()
    assert [row["id"] for row in listed["results"]] == [case.pk]
    detail = client.get(f"{API}/cases/{case.pk}/").json()
    party = detail["parties"][0]
    number = case.parties.get().id_number
    assert party["id_number"] == number[:6] + "********" + number[-4:]
    assert party["phone"] == "138****5678"
    assert party["birth_date"] is None
    for path in case_step_paths(schema):
        response = client.post(concrete(path, case.pk), {}, format="json")
        assert response.status_code == 403, path
    assert client.post(f"{API}/cases/", {}, format="json").status_code == 403


def test_officer_of_the_agency_sees_full_numbers(case, world):
    detail = client_for(world.handler2).get(f"{API}/cases/{case.pk}/").json()
    assert detail["parties"][0]["id_number"] == case.parties.get().id_number
    assert detail["parties"][0]["phone"] == "13812345678"


def test_user_without_officer_record_may_not_act(case):
    response = client_for(UserFactory()).post(f"{API}/summary-cases/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "您的账号没有关联在岗的执法人员，不能办理案件。"


def test_review_queue_is_scoped(world, stranger):
    from cases.models import LegalReview

    case = CaseFactory(agency=world.agency, state=CaseState.LEGAL_REVIEW, registered_by=world.handler1)
    review = LegalReview.objects.create(
        case=case, submitted_at=datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC), submitted_by=world.handler1
    )
    rows = client_for(world.reviewer).get(f"{API}/reviews/").json()["results"]
    assert [row["id"] for row in rows] == [review.pk]
    assert rows[0]["case"]["id"] == case.pk
    assert rows[0]["submitted_at"] == "2026-04-01T17:00:00+08:00"  # aware, in Asia/Shanghai
    assert client_for(stranger).get(f"{API}/reviews/").json()["count"] == 0
    assert client_for(stranger).post(f"{API}/reviews/{review.pk}/decision/", {}).status_code == 404


# --- Refusals and validation ------------------------------------------------------------------


def workflow_refusal(function, *args, **kwargs):
    with pytest.raises(WorkflowError) as caught:
        function(*args, **kwargs)
    error = caught.value
    return {"code": error.rule_code, "detail": error.text, "article": error.article, "field": error.field}


def test_refusal_carries_the_workflows_code_and_chinese_message(case, world):
    expected = workflow_refusal(workflow.close_case, case, world.head, closed_on=datetime.date(2026, 5, 1))
    response = client_for(world.head).post(f"{API}/cases/{case.pk}/close/", {"closed_on": "2026-05-01"})
    assert response.status_code == 400
    assert response.json() == expected
    assert expected["code"] == "wrong_state"
    assert "只能在" in expected["detail"]


def test_refusal_with_article_and_field(world):
    summary = CaseFactory(
        agency=world.agency,
        procedure="summary",
        state=CaseState.DECIDED,
        decided_on=datetime.date(2026, 4, 1),
        registered_by=world.handler1,
    )
    summary.handlers.set([world.handler1, world.handler2])
    response = client_for(world.handler1).post(
        f"{API}/cases/{summary.pk}/serve/",
        {"method": "post", "served_on": "2026-04-02", "recipient": "张三"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "summary_on_the_spot",
        "detail": "当场处罚决定书应当当场交付当事人，请选择“当场交付”。（《行政处罚法》第五十二条）",
        "article": "《行政处罚法》第五十二条",
        "field": "method",
    }


def validator_message(validator, value):
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.messages[0]


def test_invalid_uscc_and_id_number_are_400_with_the_validators_message(world):
    bad_uscc = "91330100799655058A"
    bad_id = resident_id()[:-1] + ("0" if resident_id()[-1] != "0" else "1")
    response = client_for(world.handler1).post(
        f"{API}/cases/",
        {
            "source": "inspection",
            "title": "涉嫌经营过期食品案",
            "lead_received_on": "2026-03-02",
            "parties": [
                {"kind": PartyKind.LEGAL_PERSON, "name": "某公司", "uscc": bad_uscc, "legal_representative": "王某"},
                {"kind": PartyKind.NATURAL_PERSON, "name": "张三", "id_number": bad_id},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["parties"]  # DRF: the failing items by index
    assert errors["0"]["uscc"] == [validator_message(validate_uscc, bad_uscc)]
    assert errors["1"]["id_number"] == [validator_message(validate_resident_id, bad_id)]
    assert "校验位" in errors["1"]["id_number"][0]


def test_party_clean_rules_come_back_per_field(world):
    response = client_for(world.handler1).post(
        f"{API}/summary-cases/",
        {
            "officers": [world.handler1.pk],
            "power_item": world.power_item.pk,
            "party": {"kind": PartyKind.NATURAL_PERSON, "name": "张三"},
            "facts": "x",
            "penalty_kinds": ["warning"],
            "place": "x",
            "decided_on": "2026-04-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"party": {"id_number": ["当事人为自然人时请填写居民身份证号码。"]}}


def test_officer_ids_are_limited_to_the_agency(case, world, stranger):
    response = client_for(world.head).post(
        f"{API}/cases/{case.pk}/approve-filing/",
        {
            "handlers": [world.handler1.pk, stranger.pk],
            "power_item": world.power_item.pk,
            "violation_date": "2026-03-01",
            "filed_on": "2026-03-03",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["handlers"]


def test_types_are_checked_before_the_workflow(case, world):
    response = client_for(world.head).post(
        f"{API}/cases/{case.pk}/payments/", {"amount": "12.345", "paid_on": "yesterday"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"amount", "paid_on", "receipt_number"}


# --- Lists, filters, representation, query counts ---------------------------------------------


def test_list_filters_by_state_power_item_and_text(world):
    a = CaseFactory(agency=world.agency, state=CaseState.INVESTIGATING, power_item=world.power_item, title="甲案")
    b = CaseFactory(agency=world.agency, state=CaseState.LEAD, title="乙案")
    PartyFactory(case=b, name="济宁某超市有限公司")
    client = client_for(world.handler1)

    def ids(**params):
        return [row["id"] for row in client.get(f"{API}/cases/", params).json()["results"]]

    assert ids(state="investigating") == [a.pk]
    assert ids(power_item=world.power_item.pk) == [a.pk]
    assert ids(q="某超市") == [b.pk]
    assert ids(q="甲案") == [a.pk]
    assert client.get(f"{API}/cases/", {"state": "nonsense"}).status_code == 400


def test_money_is_a_two_decimal_string_and_times_are_shanghai(world):
    CaseFactory(agency=world.agency, fine_amount=Decimal("200"), state=CaseState.DECIDED)
    row = client_for(world.handler1).get(f"{API}/cases/").json()["results"][0]
    assert row["fine_amount"] == "200.00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00", row["created_at"])


def test_list_and_detail_query_counts_do_not_grow_with_cases(world, django_assert_max_num_queries):
    for _ in range(35):
        case = CaseFactory(agency=world.agency, registered_by=world.handler1, power_item=world.power_item)
        PartyFactory(case=case)
        PersonPartyFactory(case=case)
        case.handlers.set([world.handler1, world.handler2])
    client = client_for(world.handler1)
    client.get(f"{API}/cases/")  # warm the per-user caches
    with django_assert_max_num_queries(5):
        response = client.get(f"{API}/cases/")
    assert response.json()["count"] == 35
    with django_assert_max_num_queries(25):
        assert client.get(f"{API}/cases/{case.pk}/").status_code == 200


def test_detail_query_count_is_the_same_for_a_case_with_many_records(world):
    """Detail queries do not grow with the number of parties, handlers or events."""
    small = CaseFactory(agency=world.agency, registered_by=world.handler1)
    big = CaseFactory(agency=world.agency, registered_by=world.handler1)
    for _ in range(10):
        PersonPartyFactory(case=big)
        workflow._base.record_event(big, world.handler1, "测试")
    big.handlers.set([world.handler1, world.handler2, world.head])
    client = client_for(world.handler1)

    def count(case):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/cases/{case.pk}/").status_code == 200
        return len(ctx.captured_queries)

    count(small)
    assert count(big) <= count(small) + 2
