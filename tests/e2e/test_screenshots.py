"""Screenshots of the main pages of the demo school, for the README and the teachers' tours.

Each shot is a test: it opens the page as the person who uses it, checks that the page shows
what the shot is about (its heading, the charter's coaching, the board…) and that the browser
logged no error, then takes the picture. By default the pictures go to a temporary folder and
are checked (valid PNG, the viewport's size); with TREMPLIN_SCREENSHOTS set to a folder they are
written there instead, French in the folder itself and English in its `en/` subfolder:

    TREMPLIN_SCREENSHOTS=docs/screenshots pytest -p no:cacheprovider tests/e2e/test_screenshots.py

One seeded demo school serves the whole module (with the demo's first weeks of activity, as
`sandbox demo` shows it, and a simulated recruitment under way), and each person logs in once.
The tests run in file order: the English ones come last and put the language back to French.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image

from sandbox import create_app
from sandbox.accounts.models import User
from sandbox.cli import load_seed
from sandbox.companies.models import Company
from sandbox.exercises import running, services, teams
from sandbox.extensions import db
from sandbox.personas.models import Persona, PersonaKind
from sandbox.posts.models import Post
from sandbox.seeding.files import read_demo_seed
from tests.conftest import _empty_all_tables
from tests.e2e.conftest import served
from tests.e2e.pages import DESKTOP, LETTER, OFFER_TITLE, PHONE, login, new_page, post_offer

pytestmark = [pytest.mark.browser, pytest.mark.same_on_every_engine]

LARGEST_PNG = 300_000  # bytes: the most a picture written for the README may weigh

COACHED_POST = ("slt tt le monde, jcherche un stage en vente pr le mois de mai. "
                "Appelez-moi au 06 12 34 56 78")
QUESTION = ("Salut Mathieu, tu as vu l’offre d’alternance chez Entrepôts Merlanges ? "
            "Tu postules ?")
ANSWER = "Oui, je prépare ma lettre ce soir. Merci pour l’info, on en parle demain en cours !"

# What each shot checks, in each language (the app's own words).
WORDS = {
    "fr": {"login": "Connexion à Tremplin", "home": "Actualités de ton réseau",
           "dashboard": "Tableau de bord", "board": "Tableau de suivi", "sms": "Langage SMS",
           "phone": "information personnelle"},
    "en": {"login": "Log in to Tremplin", "home": "News from your network",
           "dashboard": "Dashboard", "board": "Board", "sms": "SMS language",
           "phone": "personal information"},
}


@dataclass
class School:
    """The served demo school, what the shots need to find in it, and who is logged in."""

    base: str
    out: Path
    class_id: int
    exercise_id: int
    recruiter_id: int
    yanis_id: int
    slip_post_id: int
    browser: Any = None
    pages: dict[tuple[str, str], Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    done: set[str] = field(default_factory=set)  # what the class already did, done once


def _output_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("TREMPLIN_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    (folder / "en").mkdir(parents=True, exist_ok=True)
    return folder


def _prepare(demo: Any) -> dict[str, int]:
    """The demo school as `sandbox demo` shows it, plus a simulated recruitment that the
    teacher has prepared and started (what the students do in it is done in the browser)."""
    load_seed(with_demo_class=True)  # what `sandbox demo` loads
    users = {user.username: user for user in db.session.scalars(sa.select(User))}
    teacher = users[demo.teacher.username]
    students = [users[seed.username] for seed in demo.students]
    exercise = services.create_exercise(teacher, students[0].class_id, "recruitment")
    by_name = {team.name: team for team in exercise.teams}
    # Mathieu, Léa and Camille (the first three) stay out: their pages are shot as they are.
    for team, members in (("Recruteurs Halbrane", students[3:5]),
                          ("Recruteurs Joséphane", students[5:7]),
                          ("Candidats 1", students[7:9]), ("Candidats 2", students[9:11])):
        for member in members:
            teams.assign_member(teacher, exercise.id, member.id, by_name[team].id)
    running.start_exercise(teacher, exercise.id)
    recruiter_id = db.session.scalar(
        sa.select(Persona.user_id).join(Company, Company.id == Persona.company_id)
        .where(Company.slug == "halbrane-transit", Persona.kind == PersonaKind.RECRUITER))
    yanis = users["yanis.bouzid"]
    slip = db.session.scalar(sa.select(Post.id).where(
        Post.author_id == yanis.id, Post.body.startswith("mdr")))
    return {"class_id": students[0].class_id, "exercise_id": exercise.id,
            "recruiter_id": recruiter_id, "yanis_id": yanis.id, "slip_post_id": slip}


@pytest.fixture(scope="module")
def school(module_browser: Any, base_config: dict[str, Any], migrated_database: str,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[School]:
    """The demo school as `sandbox demo` loads it, served on 127.0.0.1 for the whole module.

    CSRF is on as in production; rate limits are off, since one run logs in many times
    (they are tested elsewhere). No other app may be built meanwhile (the Socket.IO server is
    shared); every table is emptied after the module."""
    app = create_app({**base_config, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False,
                      "INSTANCE_PATH": tmp_path_factory.mktemp("instance")})
    try:
        with app.app_context():
            found = _prepare(read_demo_seed())
        with served(app) as base:
            yield School(base=base, out=_output_folder(tmp_path_factory),
                         browser=module_browser, **found)
    finally:
        with app.app_context():
            db.session.remove()
            if app.config["SQLALCHEMY_DATABASE_URI"] == migrated_database:
                _empty_all_tables()
            db.engine.dispose()


def page_of(school: School, username: str | None, size: str = "desktop") -> Any:
    """A page logged in as `username` (None: logged out), made once per person and size."""
    key = (username or "", size)
    if key not in school.pages:
        viewport = DESKTOP if size == "desktop" else PHONE
        if username is None:
            page = new_page(school.browser, viewport, school.problems)
        else:
            demo = read_demo_seed()
            password = next(seed.password for seed in [demo.teacher, *demo.students]
                            if seed.username == username)
            page = login(school.browser, school.base, username, password, viewport,
                         school.problems)
        school.pages[key] = page
    return school.pages[key]


def shoot(school: School, page: Any, name: str, language: str = "fr") -> Path:
    """The picture of what the page shows now; the page must have logged no error.

    Playwright hides the text caret and stops animations for the picture (the app's Content
    Security Policy refuses a style sheet of our own)."""
    page.wait_for_load_state("load")
    problems, school.problems[:] = list(school.problems), []  # each error fails one shot only
    assert problems == [], problems
    folder = school.out / "en" if language == "en" else school.out
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    if os.environ.get("TREMPLIN_SCREENSHOTS"):
        _make_small(path)
    _check_png(path, page.viewport_size)
    return path


def _check_png(path: Path, size: dict[str, int]) -> None:
    assert path.stat().st_size > 0
    with Image.open(path) as picture:
        picture.verify()
    with Image.open(path) as picture:
        assert picture.format == "PNG"
        assert picture.size == (size["width"], size["height"])
        assert len(picture.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 8  # not blank


def _make_small(path: Path) -> None:
    """Pictures for the repository: 256 colours (plenty for flat pages, a third of the bytes)."""
    with Image.open(path) as picture:
        small = picture.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    assert path.stat().st_size < LARGEST_PNG, (path, path.stat().st_size)


def _scroll_to(page: Any, selector: str, margin: int = 16) -> None:
    page.locator(selector).first.evaluate(
        "(node, margin) => window.scrollTo({top: node.getBoundingClientRect().top + window.scrollY"
        " - margin, behavior: 'instant'})", margin)


def _heading(page: Any) -> str:
    return page.get_by_role("heading", level=1).first.inner_text().strip()


def _coach(page: Any, language: str) -> None:
    """On the home page, type a post the charter objects to, and wait for its coaching."""
    page.locator("#composer-body").fill("")
    page.locator("#composer-body").press_sequentially(COACHED_POST, delay=2)
    box = page.locator("#composer-charter")
    box.wait_for(state="visible")
    box.locator("mark.charter-mark").filter(has_text="06 12 34 56 78").wait_for(state="visible")
    text = box.inner_text()
    assert WORDS[language]["sms"] in text and WORDS[language]["phone"] in text, text
    page.locator("#composer-body").blur()


# The French set, in the school's language.

def test_login(school):
    page = page_of(school, None)
    page.goto(f"{school.base}/login")
    assert _heading(page) == WORDS["fr"]["login"]
    assert page.locator("#username").is_visible() and page.locator("#password").is_visible()
    shoot(school, page, "login")


def test_home_feed(school):
    page = page_of(school, "mathieu.dupre")
    page.goto(f"{school.base}/")
    assert _heading(page) == WORDS["fr"]["home"]
    assert page.locator("[data-feed-posts] article.post").count() >= 5
    _scroll_to(page, ".composer__form button[type=submit]", margin=120)
    shoot(school, page, "home")


def test_home_feed_on_a_phone(school):
    page = page_of(school, "mathieu.dupre", "phone")
    page.goto(f"{school.base}/")
    assert _heading(page) == WORDS["fr"]["home"]
    _scroll_to(page, "[data-feed-posts] article.post")
    assert page.locator("[data-feed-posts] article.post").first.is_visible()
    shoot(school, page, "home-phone")


def test_profile(school):
    page = page_of(school, "mathieu.dupre")
    page.goto(f"{school.base}/")
    page.locator("nav a", has_text="Mon profil").first.click()
    page.wait_for_url(lambda url: "/people/" in url)
    assert _heading(page).startswith("Mathieu Dupré")
    assert "En recherche d'alternance en logistique" in page.locator("main").inner_text()
    shoot(school, page, "profile")


def test_view_as_a_recruiter(school):
    page = page_of(school, "mathieu.dupre")
    page.goto(f"{school.base}/profile/view-as/recruiter")
    assert page.get_by_role("heading", name="Ton profil tel que le voit un recruteur").is_visible()
    main = page.locator("main").inner_text()
    assert "Mathieu Dupré" in main and "Ouvert aux opportunités" in main
    shoot(school, page, "view-as-recruiter")


def test_group(school):
    page = page_of(school, "mathieu.dupre")
    page.goto(f"{school.base}/groups/atelier-reseaux-pro")
    assert _heading(page) == "Atelier réseaux professionnels"
    assert page.locator("main article.post").count() >= 2
    _scroll_to(page, "main article.post", margin=260)
    shoot(school, page, "group")


def test_messages(school):
    camille = page_of(school, "camille.fontaine")
    mathieu = page_of(school, "mathieu.dupre")
    mathieu.goto(f"{school.base}/")
    profile = mathieu.locator("nav a", has_text="Mon profil").first.get_attribute("href")
    mathieu_id = int(profile.rsplit("/", 1)[1])
    camille.goto(f"{school.base}/messages/{mathieu_id}")
    camille.fill("#body", QUESTION)
    camille.locator("#message-form button[type=submit]").click()
    camille.locator(".message, li", has_text="Entrepôts Merlanges").first.wait_for()
    mathieu.goto(f"{school.base}/messages/")
    mathieu.locator("main a", has_text="Camille Fontaine").first.click()
    mathieu.wait_for_url(lambda url: "/messages/" in url and not url.endswith("/messages/"))
    mathieu.fill("#body", ANSWER)
    mathieu.locator("#message-form button[type=submit]").click()
    mathieu.locator("main", has_text="je prépare ma lettre").wait_for()
    assert _heading(mathieu) == "Camille Fontaine"
    text = mathieu.locator("main").inner_text()
    assert QUESTION in text and ANSWER in text
    mathieu.locator("#body").blur()
    shoot(school, mathieu, "messages")


def test_company_page(school):
    page = page_of(school, "mathieu.dupre")
    page.goto(f"{school.base}/companies/halbrane-transit")
    assert _heading(page) == "Halbrane Transit International"
    assert page.get_by_role("heading", name="Offres d’emploi en cours").is_visible()
    shoot(school, page, "company")


def test_job_offer(school):
    page = page_of(school, "mathieu.dupre")
    page.goto(f"{school.base}/companies/entrepots-merlanges")
    offer = page.locator("main a[href^='/jobs/']").first
    title = offer.inner_text().strip()
    offer.click()
    page.wait_for_url(lambda url: "/jobs/" in url)
    assert _heading(page).startswith(title.split(" (")[0])
    assert page.locator("#cover_letter").count() == 1  # the student can apply from here
    shoot(school, page, "job-offer")


def test_charter_coach(school):
    page = page_of(school, "mathieu.dupre")
    page.goto(f"{school.base}/")
    _coach(page, "fr")
    _scroll_to(page, "#composer-body", margin=90)
    shoot(school, page, "charter-coach")


def test_charter_coach_on_a_phone(school):
    page = page_of(school, "mathieu.dupre", "phone")
    page.goto(f"{school.base}/")
    _coach(page, "fr")
    _scroll_to(page, "#composer-body", margin=48)
    shoot(school, page, "charter-coach-phone")


def test_class_and_join_code(school):
    page = page_of(school, "prof.martin")
    page.goto(f"{school.base}/classes/{school.class_id}")
    assert _heading(page) == read_demo_seed().klass.name
    assert "DEMO-BTS-2026" in page.locator("main").inner_text()
    assert page.locator(f"a[href$='/classes/{school.class_id}/roster']").count() == 1
    shoot(school, page, "class")


def test_class_feed(school):
    page = page_of(school, "prof.martin")
    page.goto(f"{school.base}/classes/{school.class_id}/dashboard/feed")
    assert _heading(page).startswith("Fil de la classe")
    assert page.locator("main article.post").count() >= 5
    shoot(school, page, "class-feed")


def test_teacher_dashboard(school):
    page = page_of(school, "prof.martin")
    page.goto(f"{school.base}/classes/{school.class_id}/dashboard")
    assert _heading(page).startswith(WORDS["fr"]["dashboard"])
    assert page.locator("#overview-rows a[href*='/dashboard/students/']").count() == \
        len(read_demo_seed().students)
    shoot(school, page, "dashboard")


def test_charter_findings_of_a_student(school):
    page = page_of(school, "prof.martin")
    page.goto(f"{school.base}/classes/{school.class_id}/dashboard/students/{school.yanis_id}")
    assert _heading(page).startswith("Yanis Bouzid")
    findings = page.locator("section:has(#findings-heading)")
    assert findings.locator("mark").filter(has_text="jsp").count() >= 1
    _scroll_to(page, "#findings-heading", margin=40)
    shoot(school, page, "charter-findings")


def _slip_reported(school: School) -> None:
    """Léa reports Yanis's post, published despite the charter's advice (once)."""
    if "reported" in school.done:
        return
    lea = page_of(school, "lea.kaddour")
    lea.goto(f"{school.base}/report/post/{school.slip_post_id}")
    lea.locator("input[name=reason][value=other]").check()
    lea.fill("textarea[name=details]",
             "Ce n’est pas le bon endroit pour demander les devoirs : il y a la messagerie.")
    lea.locator("main form button[type=submit]").click()
    lea.wait_for_url(lambda url: "/report/" not in url)
    school.done.add("reported")


def _moderation_queue(school: School, page: Any) -> None:
    _slip_reported(school)
    page.goto(f"{school.base}/moderation")
    case = page.locator("article.mod-case", has_text="mdr le cours de ce matin")
    assert case.count() == 1
    assert case.locator("button[formaction$='/hide']").count() == 1
    assert "Ce n’est pas le bon endroit pour demander les devoirs" in case.inner_text()


def test_moderation_queue(school):
    page = page_of(school, "prof.martin")
    _moderation_queue(school, page)
    assert _heading(page) == "Modération"
    shoot(school, page, "moderation")


def test_grading(school):
    page = page_of(school, "prof.martin")
    page.goto(f"{school.base}/classes/{school.class_id}/grades/students/{school.yanis_id}")
    assert _heading(page) == "Notation : Yanis Bouzid"
    assert page.locator("#entries-0-score").is_visible()
    shoot(school, page, "grading")


def _apply(page: Any, base: str) -> None:
    page.goto(f"{base}/jobs/?q=transport")
    page.locator("main a").filter(has_text=OFFER_TITLE).first.click()
    page.fill("#cover_letter", LETTER)
    page.locator("form[action$='/apply'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/jobs/applications" in url)


def _recruitment_under_way(school: School) -> None:
    """Halbrane's recruiters (a student playing its recruiter) post an offer, two candidates
    apply from their phones, the recruiter shortlists one (once)."""
    if "recruitment" in school.done:
        return
    demo = read_demo_seed()
    recruiter = page_of(school, demo.students[3].username, "phone")
    recruiter.goto(f"{school.base}/personas/{school.recruiter_id}")
    post_offer(recruiter, f"{school.base}/personas/{school.recruiter_id}/offers/new")
    recruiter.wait_for_url(lambda url: "/offers/new" not in url)
    for candidate in (demo.students[7], demo.students[9]):
        _apply(page_of(school, candidate.username, "phone"), school.base)
    recruiter.goto(f"{school.base}/personas/{school.recruiter_id}")
    recruiter.locator("a[href*='/applications/']").first.click()
    recruiter.locator("form:has(input[name='status'][value='shortlisted']) button").click()
    recruiter.wait_for_load_state()
    school.done.add("recruitment")


def _exercise_board(school: School, page: Any) -> None:
    """The teacher's board counts what the teams did."""
    _recruitment_under_way(school)
    page.goto(f"{school.base}/exercises/{school.exercise_id}")
    board = page.locator("[data-exercise-board]")
    progress = [board.locator(f"[data-objective='{kind}'] [data-progress]").all_inner_texts()
                for kind in ("offers_posted", "applications", "shortlisted")]
    assert [sorted(text.strip() for text in texts) for texts in progress] == [
        ["0 / 1", "1 / 1"], ["1 / 1", "1 / 1"], ["0 / 3", "1 / 3"]], progress
    page.wait_for_function("() => window.Tremplin.socket && window.Tremplin.socket.connected")
    _scroll_to(page, "main h1", margin=24)


def test_exercise_board(school):
    page = page_of(school, "prof.martin")
    _exercise_board(school, page)
    assert _heading(page) == "Recrutement simulé"
    assert page.get_by_role("heading", name=WORDS["fr"]["board"]).is_visible()
    shoot(school, page, "exercise-board")


# The English set, for the English tour. Each person switches to English, then back.

def _in_english(page: Any) -> None:
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def _back_to_french(page: Any) -> None:
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"


def test_english_login(school):
    page = new_page(school.browser, DESKTOP, school.problems)
    page.goto(f"{school.base}/login")
    _in_english(page)
    assert _heading(page) == WORDS["en"]["login"]
    shoot(school, page, "login", "en")
    page.context.close()


def test_english_home_and_charter_coach(school):
    page = page_of(school, "mathieu.dupre")
    page.goto(f"{school.base}/")
    _in_english(page)
    try:
        assert _heading(page) == WORDS["en"]["home"]
        _scroll_to(page, ".composer__form button[type=submit]", margin=120)
        shoot(school, page, "home", "en")
        _coach(page, "en")
        _scroll_to(page, "#composer-body", margin=90)
        shoot(school, page, "charter-coach", "en")
        page.goto(f"{school.base}/profile/view-as/recruiter")
        assert page.get_by_role("heading", name="Your profile as a recruiter sees it").is_visible()
        shoot(school, page, "view-as-recruiter", "en")
        page.goto(f"{school.base}/companies/halbrane-transit")
        assert page.get_by_role("heading", name="Open job offers").is_visible()
        shoot(school, page, "company", "en")
    finally:
        page.goto(f"{school.base}/")
        _back_to_french(page)


def test_english_teacher_pages(school):
    page = page_of(school, "prof.martin")
    page.goto(f"{school.base}/classes/{school.class_id}")
    _in_english(page)
    try:
        assert "DEMO-BTS-2026" in page.locator("main").inner_text()
        assert page.get_by_role("heading", name="Class code").is_visible()
        shoot(school, page, "class", "en")
        page.goto(f"{school.base}/classes/{school.class_id}/dashboard")
        assert _heading(page).startswith(WORDS["en"]["dashboard"])
        shoot(school, page, "dashboard", "en")
        page.goto(f"{school.base}/classes/{school.class_id}/dashboard/students/{school.yanis_id}")
        assert page.locator("section:has(#findings-heading) mark").filter(has_text="jsp").count()
        _scroll_to(page, "#findings-heading", margin=40)
        shoot(school, page, "charter-findings", "en")
        _moderation_queue(school, page)
        assert _heading(page) == "Moderation"
        shoot(school, page, "moderation", "en")
        page.goto(f"{school.base}/classes/{school.class_id}/grades/students/{school.yanis_id}")
        assert _heading(page) == "Grading: Yanis Bouzid"
        shoot(school, page, "grading", "en")
        _exercise_board(school, page)
        assert page.get_by_role("heading", name=WORDS["en"]["board"]).is_visible()
        shoot(school, page, "exercise-board", "en")
    finally:
        _back_to_french(page)
