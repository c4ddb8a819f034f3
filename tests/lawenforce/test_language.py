"""zh-Hans first, English kept working."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_are_chinese_even_for_an_english_browser(client):
    response = client.get(reverse("public-home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_turns_english_on(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("public-home"))
    assert 'lang="en"' in response.content.decode()
