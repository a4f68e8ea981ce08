"""No page is wider than a phone: every main page at 320 and 390 px, in English and Arabic."""

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from tests.e2e.test_accessibility import SIGNED_IN_PAGES, _public_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTHS = (320, 390)


def too_wide(page: Page, url: str) -> str | None:
    """The page's overflow at this width, as a message, or None when nothing sticks out."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll <= inner:
        return None
    culprits = page.evaluate(
        """() => {
            const clipped = e => {
                for (let a = e.parentElement; a; a = a.parentElement) {
                    const o = getComputedStyle(a).overflowX;
                    if (o === 'auto' || o === 'hidden' || o === 'scroll') return true;
                }
                return false;
            };
            return [...document.querySelectorAll('body *')]
                .filter(e => !clipped(e))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                          || e.getBoundingClientRect().left < -1)
                .slice(-3).map(e => e.tagName + '.' + e.className);
        }"""
    )
    return f"{url}: {scroll} px wide at {inner} px ({culprits})"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_main_page_scrolls_sideways_on_a_phone(
    browser: Browser, live_server: Any, language: str
) -> None:
    call_command("seed_demo", verbosity=0)
    pages = _public_pages()
    found = []
    for width in WIDTHS:
        context = browser.new_context(
            base_url=str(live_server), viewport={"width": width, "height": 800}, locale="en-GB"
        )
        page = context.new_page()
        page.goto(f"/language/?language={language}&next=/")
        found += [f"{width}: {m}" for url in pages if (m := too_wide(page, url))]
        page.goto("/accounts/login/")
        page.locator("#id_login").fill("facilitator@example.org")
        page.locator("#id_password").fill("footing-demo")
        page.locator("form[action='/accounts/login/'] button[type=submit]").click()
        page.wait_for_load_state()
        signed_in = [*SIGNED_IN_PAGES, *pages[:6], "/me/", "/method/consensus/"]
        found += [f"{width}: {m}" for url in signed_in if (m := too_wide(page, url))]
        context.close()
    assert found == [], "\n".join(found)
