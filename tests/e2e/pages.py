"""What the browser tests do the same way: open a page at a given size, log in."""

from __future__ import annotations

from typing import Any

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
TIMEOUT_MS = 15_000  # what a step may take on a busy CI machine; a failure shows sooner

# The simulated recruitment's offer, and the cover letter candidates send to it.
OFFER_TITLE = "Assistant(e) transport export en alternance"
LETTER = (
    "Madame, Monsieur,\n\n"
    "Étudiant en BTS Commerce International, je souhaite rejoindre Halbrane Transit "
    "International pour l'offre d'assistant transport export en alternance. Vos métiers de la "
    "commission de transport m'intéressent depuis un stage dans une entreprise de logistique, "
    "où j'ai préparé des documents d'expédition en anglais.\n\n"
    "Je serais heureux d'échanger avec vous lors d'un entretien.\n\n"
    "Cordialement."
)


def watch(page: Any, problems: list[str]) -> Any:
    """Send the page's script errors and console errors to `problems`."""
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page


def new_page(browser: Any, viewport: dict[str, int] = PHONE, problems: list[str] | None = None,
             **context_options: Any) -> Any:
    """A page in a browser context of its own (its own cookies), at the size of `viewport`."""
    context = browser.new_context(viewport=viewport, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    return watch(page, problems) if problems is not None else page


def login(browser: Any, base: str, username: str, password: str,
          viewport: dict[str, int] = PHONE, problems: list[str] | None = None,
          **context_options: Any) -> Any:
    """A page of a new context logged in as `username`; its script errors then go to
    `problems`."""
    page = new_page(browser, viewport, **context_options)
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return watch(page, problems) if problems is not None else page


def phone_login(browser: Any, base: str, username: str, password: str,
                problems: list[str] | None = None) -> Any:
    """A phone-sized page logged in as `username`; its script errors then go to `problems`."""
    return login(browser, base, username, password, PHONE, problems)


def plain(text: str) -> str:
    """`text` with French typography's no-break spaces (before : ; ! ? », after «) as plain
    spaces, so that assertions do not depend on which kind a translation uses."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def text_of(locator: Any) -> str:
    """What a reader sees of `locator`, no-break spaces as plain ones."""
    return plain(locator.inner_text())


def submit(page: Any, button: Any) -> None:
    """Click a form's button and wait for the page the form leads to, even when it is the same
    address (a form shown again with its errors, a redirect back to where it was sent from)."""
    with page.expect_navigation():
        button.click()


def post_offer(recruiter: Any, form_url: str) -> None:
    """As the professional a student plays, post the recruitment's offer from `form_url`."""
    recruiter.goto(form_url)
    recruiter.fill("#title", OFFER_TITLE)
    recruiter.locator("#kind").select_option("apprenticeship")
    recruiter.fill("#city", "Le Havre")
    recruiter.fill("#duration", "2 ans")
    recruiter.fill("#description", (
        "Au sein du service export, vous préparerez les documents de transport, suivrez les "
        "expéditions maritimes et échangerez en anglais avec nos agents à l'étranger. Profil : "
        "étudiant en BTS Commerce International, rigoureux et curieux."))
    recruiter.locator("form[action$='/offers/new'] button[type=submit]").click()
