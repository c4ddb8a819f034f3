"""Browser-test fixtures (a pytest plugin loaded by tests/conftest.py, usable from any test folder):
the real pages in Debian's Chromium, headless, driven by Playwright.

The server is pytest-django's ``live_server`` (a real HTTP server on 127.0.0.1 in a thread, on the
test database). Playwright downloads no browser here: it launches the system Chromium that
``scripts/install-system-packages.sh`` installs (``CHROMIUM`` overrides the path). Without a
Chromium these tests fail, on purpose: a skipped browser test would hide a broken public site.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls (fixtures,
# assertions on the database) are still plain synchronous calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine has no network beyond package registries: no background connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium not found: run `make setup` (installs Debian's chromium) or set CHROMIUM.")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """The same on a phone-sized screen with touch, as a citizen or an officer in the field has."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
