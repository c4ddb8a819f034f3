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


def test_the_english_catalogue_translates_every_message():
    """A message added without an English translation would show Chinese on English pages."""
    import re
    from pathlib import Path

    po = (Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'^msgstr ""\n?$', e.strip().split("\n", 1)[-1], re.M)
                    and not re.search(r'^msgstr ""\n"', e, re.M) and "msgstr[" not in e]
    assert untranslated == []
