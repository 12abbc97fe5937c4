"""A simulated recruitment, from the offer to the decision (DESIGN.md journey 5).

The teacher runs a "simulated recruitment" exercise: one student recruits for Halbrane Transit
and plays its recruiter, two students are candidates. The recruiter publishes an offer for the
class, both candidates apply from their phones, the recruiter shortlists one, offers them the
job and turns the other down; the teacher's board counts each step without a reload, and each
candidate reads where their application stands.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from sandbox.accounts.models import User
from sandbox.companies.models import Company
from sandbox.exercises import running, services, teams
from sandbox.extensions import db
from sandbox.personas.models import Persona, PersonaKind
from sandbox.seeding.files import read_demo_seed, read_network_seed
from sandbox.seeding.loader import seed_demo_class, seed_network
from tests.e2e.pages import LETTER, OFFER_TITLE, phone_login, post_offer

pytestmark = pytest.mark.browser



@dataclass(frozen=True)
class Lesson:
    base: str
    exercise_id: int
    recruiter_team_id: int
    candidate_team_ids: tuple[int, int]
    persona_id: int


@pytest.fixture
def lesson(make_app, tmp_path) -> Iterator[Lesson]:  # type: ignore[no-untyped-def]
    """The demo school served on 127.0.0.1, with a simulated recruitment ready and started by
    the teacher (the exercise's own pages are tested apart: tests/e2e/test_exercise_board.py)."""
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True,
                   INSTANCE_PATH=tmp_path / "instance")
    demo = read_demo_seed()
    with app.app_context():
        seed_network(read_network_seed())
        seed_demo_class(read_demo_seed())
        teacher = db.session.scalar(sa.select(User).where(User.username == demo.teacher.username))
        students = [db.session.scalar(sa.select(User).where(User.username == seed.username))
                    for seed in demo.students[:3]]
        exercise = services.create_exercise(teacher, students[0].class_id, "recruitment")
        by_name = {team.name: team for team in exercise.teams}
        recruiters, candidates = by_name["Recruteurs Halbrane"], by_name["Candidats 1"]
        others = by_name["Candidats 2"]
        teams.remove_team(teacher, exercise.id, by_name["Recruteurs Joséphane"].id)
        teams.assign_member(teacher, exercise.id, students[0].id, recruiters.id)
        teams.assign_member(teacher, exercise.id, students[1].id, candidates.id)
        teams.assign_member(teacher, exercise.id, students[2].id, others.id)
        running.start_exercise(teacher, exercise.id)
        persona_id = db.session.scalar(
            sa.select(Persona.user_id).join(Company, Company.id == Persona.company_id)
            .where(Company.slug == "halbrane-transit", Persona.kind == PersonaKind.RECRUITER))
        ready = Lesson("", exercise.id, recruiters.id, (candidates.id, others.id), persona_id)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Lesson(f"http://127.0.0.1:{server.server_port}", *[
            getattr(ready, name) for name in
            ("exercise_id", "recruiter_team_id", "candidate_team_ids", "persona_id")])
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _count(page, team_id: int, kind: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the board shows `expected` for this team's objective (live, no reload)."""
    selector = f"#team-{team_id} [data-objective='{kind}'] [data-progress]"
    page.wait_for_function(
        "([selector, expected]) => { const node = document.querySelector(selector);"
        " return node && node.textContent.trim() === expected; }",
        arg=[selector, expected], timeout=15000)


def _apply(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/jobs/?q=transport")
    page.locator("main a").filter(has_text=OFFER_TITLE).first.click()
    page.fill("#cover_letter", LETTER)
    page.locator("form[action$='/apply'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/jobs/applications"))


def _move(page, status: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"form:has(input[name='status'][value='{status}']) button").click()
    page.wait_for_load_state()


def test_a_simulated_recruitment_from_the_offer_to_the_decision(browser, lesson):
    base, demo, problems = lesson.base, read_demo_seed(), []
    recruiter_seed, first_seed, second_seed = demo.students[:3]
    candidates_1, candidates_2 = lesson.candidate_team_ids

    # The teacher projects the board of the running exercise.
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    teacher.on("pageerror", lambda error: problems.append(str(error)))
    teacher.goto(f"{base}/login")
    teacher.fill("#username", demo.teacher.username)
    teacher.fill("#password", demo.teacher.password)
    teacher.locator("main form button[type=submit]").click()
    teacher.wait_for_url(lambda url: "/login" not in url)
    teacher.goto(f"{base}/exercises/{lesson.exercise_id}")
    teacher.wait_for_function("() => window.Tremplin.socket && window.Tremplin.socket.connected")
    teacher.evaluate("() => { window.__notReloaded = true; }")
    _count(teacher, lesson.recruiter_team_id, "offers_posted", "0 / 1")

    # The recruiter student finds the professional to play on their home page, and publishes
    # an offer for the class in their name.
    recruiter = phone_login(browser, base, recruiter_seed.username, recruiter_seed.password,
                            problems)
    recruiter.locator(f"a[href='/personas/{lesson.persona_id}']").first.click()
    post_offer(recruiter, f"{base}/personas/{lesson.persona_id}/offers/new")
    recruiter.wait_for_url(re.compile(rf"/personas/{lesson.persona_id}(\?|#|$)"))
    _count(teacher, lesson.recruiter_team_id, "offers_posted", "1 / 1")

    # Both candidates find the offer in the jobs search and apply from their phones.
    first = phone_login(browser, base, first_seed.username, first_seed.password, problems)
    _apply(first, base)
    _count(teacher, candidates_1, "applications", "1 / 1")
    second = phone_login(browser, base, second_seed.username, second_seed.password, problems)
    _apply(second, base)
    _count(teacher, candidates_2, "applications", "1 / 1")

    # The recruiter reads the applications: shortlists the first candidate, invites them to an
    # interview and offers them the job; turns the second one down.
    recruiter.goto(f"{base}/personas/{lesson.persona_id}")
    links = recruiter.locator("a[href*='/applications/']")
    urls = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert len(urls) == 2, urls
    first_name = first_seed.pseudonym or first_seed.first_name
    for url in urls:
        recruiter.goto(f"{base}{url}")
        if first_name in recruiter.title():  # "Candidature de <name> · Tremplin"
            for status in ("shortlisted", "interview", "offer"):
                _move(recruiter, status)
        else:
            recruiter.once("dialog", lambda dialog: dialog.accept())
            _move(recruiter, "declined")
    _count(teacher, lesson.recruiter_team_id, "shortlisted", "1 / 3")
    _count(teacher, lesson.recruiter_team_id, "decisions", "2 / 3")
    assert teacher.evaluate("() => window.__notReloaded === true")

    # Each candidate reads where their application stands.
    first.goto(f"{base}/jobs/applications")
    assert "Poste proposé" in first.locator("main").inner_text()
    second.goto(f"{base}/jobs/applications")
    assert "Non retenue" in second.locator("main").inner_text()
    assert problems == [], problems
