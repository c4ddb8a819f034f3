"""Login, logout, password change and lockout, in Chinese (django-axes locks after repeated failures)."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import PASSWORD, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Xin-Mima#2026"


@pytest.fixture
def officer(regions):
    return OfficerFactory(user=UserFactory(username="zhangsan"), agency__region=regions["county"])


def login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_login_page_is_in_chinese(client):
    html = client.get(reverse("login")).content.decode()
    assert "工作人员登录" in html
    assert "用户名" in html and "密码" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_login_with_the_right_password_goes_to_the_home_page(client, officer):
    response = login(client, "zhangsan", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert SESSION_KEY in client.session


def test_login_follows_next(client, officer):
    response = login(client, "zhangsan", PASSWORD, next=reverse("officer-list"))
    assert response["Location"] == reverse("officer-list")


def test_login_does_not_redirect_off_site(client, officer):
    response = login(client, "zhangsan", PASSWORD, next="https://evil.example.com/")
    assert response["Location"] == reverse("home")


def test_a_wrong_password_gives_a_chinese_error(client, officer):
    response = login(client, "zhangsan", "wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的" in html
    assert SESSION_KEY not in client.session


def test_logout_is_a_post_and_returns_to_the_public_page(client, officer):
    client.force_login(officer.user)
    assert client.get(reverse("logout")).status_code == 405  # Django 5: never log out on a GET
    assert SESSION_KEY in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("public-home")
    assert SESSION_KEY not in client.session


def test_password_change_requires_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def change_password(client, new1, new2=None, old=PASSWORD):
    return client.post(
        reverse("password_change"), {"old_password": old, "new_password1": new1, "new_password2": new2 or new1}
    )


def test_password_change_form_is_in_chinese(client, officer):
    client.force_login(officer.user)
    html = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in html
    assert "旧密码" in html or "当前密码" in html
    assert "密码须至少包含大写字母、小写字母、数字、符号中的 3 类" in html  # validators' help text


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("qwertyuiopasd", "密码过于简单：请至少包含大写字母、小写字母、数字、符号中的 3 类。"),
        ("Ab1!x", "密码长度太短。密码必须包含至少 10 个字符。"),
        ("3141592653589", "密码只包含数字。"),
        ("password123", "这个密码太常见了。"),
    ],
)
def test_password_change_rejects_a_weak_password_in_chinese(client, officer, weak, message):
    client.force_login(officer.user)
    response = change_password(client, weak)
    assert response.status_code == 200
    assert message in response.content.decode()
    officer.user.refresh_from_db()
    assert officer.user.check_password(PASSWORD)


def test_password_change_rejects_a_wrong_old_password(client, officer):
    client.force_login(officer.user)
    response = change_password(client, STRONG, old="not-my-password")
    assert "旧密码不正确" in response.content.decode() or "你的旧密码不正确" in response.content.decode()


def test_password_change_accepts_a_strong_password(client, officer):
    client.force_login(officer.user)
    response = change_password(client, STRONG)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert "密码已修改" in client.get(response["Location"]).content.decode()
    officer.user.refresh_from_db()
    assert officer.user.check_password(STRONG)
    client.post(reverse("logout"))
    assert login(client, "zhangsan", STRONG).status_code == 302


def test_five_failed_logins_lock_the_account_with_a_chinese_page(client, officer):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert login(client, "zhangsan", "wrong-password").status_code == 200
    response = login(client, "zhangsan", "wrong-password")
    html = response.content.decode()
    assert response.status_code == 429
    assert "账号已被暂时锁定" in html
    assert "连续 5 次登录失败" in html
    assert "锁定 30 分钟" in html
    assert "系统管理员" in html
    # Even the right password is refused while the lock lasts.
    response = login(client, "zhangsan", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_lockout_is_per_account(client, officer, regions):
    OfficerFactory(user=UserFactory(username="lisi"), agency__region=regions["county"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "zhangsan", "wrong-password")
    assert login(client, "lisi", PASSWORD).status_code == 302


def test_login_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("login")).content.decode()
    assert "Staff login" in html
    assert "工作人员登录" not in html


def test_lockout_page_in_english(client, officer):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, "zhangsan", "wrong-password")
    assert response.status_code == 429
    assert "30 minutes" in response.content.decode()
