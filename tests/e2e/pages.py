"""What the browser tests do the same way: log in on a phone-sized page."""

from __future__ import annotations

from typing import Any


def phone_login(browser: Any, base: str, username: str, password: str,
                problems: list[str] | None = None) -> Any:
    """A phone-sized page logged in as `username`; its script errors then go to `problems`."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    if problems is not None:
        page.on("console",
                lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
    return page
