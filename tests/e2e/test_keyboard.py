"""Keyboard only: a student logs in, skips to the content, publishes a post and invites a
contact with a personal message, with Tab, Shift+Tab, Enter, Space and typing; no mouse.

Every element the Tab key reaches on the way must show where the focus is (an outline or a
shadow), or a keyboard user would be lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sandbox.seeding.files import read_demo_seed
from tests.e2e.conftest import served

pytestmark = [pytest.mark.browser, pytest.mark.same_on_every_engine]

DESKTOP = {"width": 1280, "height": 900}

# What the focused element is, whether it matches `selector`, and whether its focus shows.
FOCUS = """(selector) => {
  const element = document.activeElement;
  if (!element || element === document.body) {
    return {matches: false, shown: true, what: 'body'};
  }
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  const label = element.innerText || element.value || element.getAttribute('aria-label') || '';
  const what = element.outerHTML.slice(0, element.outerHTML.indexOf('>') + 1)
    + ' "' + label.trim().slice(0, 40) + '"';
  return {matches: element.matches(selector), shown: outline || shadow, what: what};
}"""


@pytest.fixture(scope="module")
def base(module_demo_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with served(module_demo_app) as url:
        yield url


def _focus_state(page: Any, selector: str = ":not(*)") -> dict[str, Any]:
    return page.evaluate(FOCUS, selector)


def tab_to(page: Any, selector: str, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (Shift+Tab backwards) until the focus is on `selector`, checking on the way
    that each element reached shows its focus."""
    reached = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        state = _focus_state(page, selector)
        reached.append(state["what"])
        assert state["shown"], f"the focus does not show on {state['what']}"
        if state["matches"]:
            return
    raise AssertionError(f"Tab never reached {selector}; it went through: {reached}")


def keyboard_login(browser: Any, base: str, username: str, password: str) -> Any:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(f"{base}/login")
    assert _focus_state(page, "#username")["matches"]  # the form has the focus at once
    page.keyboard.type(username)
    tab_to(page, "#password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    return page


def test_skip_to_content_then_publish_a_post(module_browser, base):
    demo = read_demo_seed()
    student, classmate = demo.students[3], demo.students[0]
    page = keyboard_login(module_browser, base, student.username, student.password)

    # The first Tab reaches the "skip to content" link, shown on screen; Enter jumps to the
    # content, and the next Tab is inside it (past the whole menu).
    page.keyboard.press("Tab")
    state = _focus_state(page, "a.skip-link[href='#main']")
    assert state["matches"], f"the first Tab went to {state['what']}"
    assert state["shown"]
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
    assert page.locator("a.skip-link").inner_text() == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")

    # The post: typed, a classmate mentioned from the suggestions (Enter picks the first),
    # then published with the keyboard.
    tab_to(page, "#composer-body")
    page.keyboard.type("Merci @" + classmate.username[:5])
    page.locator("#composer-body + [role=listbox] [role=option]").first.wait_for(state="visible")
    page.keyboard.press("Enter")
    text = ("pour la visite d’entreprise : je publie ce message au clavier seulement, "
            "c’était passionnant.")
    page.keyboard.type(text)
    assert page.input_value("#composer-body") == f"Merci @{classmate.username} {text}"
    tab_to(page, ".composer__form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    first = page.locator("[data-feed-posts] article.post").first
    first.wait_for(state="visible")
    assert text in first.inner_text()
    assert first.locator("a.mention").inner_text() == f"@{classmate.username}"
    page.context.close()


def test_invite_a_contact_with_a_personal_message(module_browser, base):
    student = read_demo_seed().students[4]
    page = keyboard_login(module_browser, base, student.username, student.password)

    # To the network page through the main menu, then the first suggestion's "Invite".
    tab_to(page, "nav.main-nav a[href='/network/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/network/")
    tab_to(page, "a[href^='/network/invite/']")
    invited_path = page.evaluate("() => document.activeElement.getAttribute('href')")
    invited_id = int(invited_path.rsplit("/", 1)[-1])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{invited_path}")

    message = ("Bonjour, je suis en BTS Commerce International et votre parcours m’intéresse "
               "beaucoup : accepteriez-vous d’échanger avec moi sur votre métier ? "
               "Merci d’avance !")
    tab_to(page, "#message")
    page.keyboard.type(message)
    # Past the button to "Cancel", then back: the button comes first, and Space presses it.
    tab_to(page, "main form a.button")
    tab_to(page, "main form button[type=submit]", backwards=True)
    page.keyboard.press("Space")
    page.wait_for_url(f"{base}/people/{invited_id}")
    assert page.locator(".flash--success").count() == 1
    assert page.locator(".profile__actions").get_by_text("Invitation envoyée").count() == 1

    page.goto(f"{base}/network/")
    sent = page.locator("section[aria-labelledby='sent-heading']")
    assert sent.locator(f"a[href='/people/{invited_id}']").count() >= 1
    page.context.close()
