"""Accessibility of the main pages, checked by axe-core in Chromium on a phone and a desktop.

axe-core comes from npm (package.json "dependencies", never served by the app): without
node_modules/axe-core these tests skip, unless TREMPLIN_REQUIRE_BROWSER=1 (as in CI), where
they fail. A page passes when axe finds no violation of impact "serious" or "critical".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.companies.models import Company
from sandbox.exercises import running, services, teams
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.jobs.models import JobOffer
from sandbox.messages.services import send_message
from sandbox.moderation.reports import report_content
from sandbox.network.services import connect
from sandbox.posts.models import Post
from sandbox.seeding.demo_activity import read_demo_activity, seed_demo_activity
from sandbox.seeding.files import read_demo_seed, read_groups_seed
from sandbox.seeding.group_loader import seed_groups
from tests.e2e.conftest import served

pytestmark = [pytest.mark.browser, pytest.mark.same_on_every_engine]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
PHONE_DRAFT = "Bonjour, je cherche une alternance en logistique : appelez-moi au 06 12 34 56 78."

# Runs axe on the whole document; returns the violations, each with its first targets.
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    count: v.nodes.length,
  }));
}"""


@dataclass(frozen=True)
class School:
    base: str
    class_id: int
    student_id: int
    classmate_id: int
    group_slug: str
    company_slug: str
    offer_id: int
    exercise_id: int


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.is_file():
        reason = (f"axe-core is not installed ({AXE} is missing): run `npm ci` at the "
                  "project's root, or `pip install -e .`, which runs it")
        if os.environ.get("TREMPLIN_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


@pytest.fixture(scope="module")
def checked_school(module_demo_app) -> Iterator[School]:  # type: ignore[no-untyped-def]
    """The demo school as `sandbox demo` loads it (groups, first weeks of activity), with what
    the checked pages show: a conversation, a reported post, a running exercise."""
    demo = read_demo_seed()
    with module_demo_app.app_context():
        seed_groups(read_groups_seed())
        seed_demo_activity(read_demo_activity(), demo.teacher.username)
        teacher = _user(demo.teacher.username)
        student, classmate, reporter = (_user(seed.username) for seed in demo.students[:3])
        connect(student, classmate)
        db.session.commit()
        send_message(student, classmate.id, "Salut ! On révise l’entretien ensemble vendredi ?")
        send_message(classmate, student.id, "Oui, à 16 h au CDI.")
        post_id = db.session.scalar(sa.select(Post.id).where(Post.author_id == classmate.id)
                                    .order_by(Post.id).limit(1))
        report_content(reporter, "post", post_id, "false_information", "Ce n’est pas vrai.")
        exercise = services.create_exercise(teacher, student.class_id, "professional_watch")
        teams.assign_member(teacher, exercise.id, student.id, exercise.teams[0].id)
        running.start_exercise(teacher, exercise.id)
        ready = dict(
            class_id=student.class_id, student_id=student.id, classmate_id=classmate.id,
            group_slug=db.session.scalar(sa.select(Group.slug).where(Group.class_id.is_not(None))
                                         .order_by(Group.id).limit(1)),
            company_slug=db.session.scalar(sa.select(Company.slug).order_by(Company.id).limit(1)),
            offer_id=db.session.scalar(sa.select(JobOffer.id).order_by(JobOffer.id).limit(1)),
            exercise_id=exercise.id,
        )
    with served(module_demo_app) as base:
        yield School(base=base, **ready)


@pytest.fixture(scope="module")
def sessions(module_browser, checked_school):  # type: ignore[no-untyped-def]
    """The cookies of the demo student and teacher (one login each), and none (anonymous)."""
    demo = read_demo_seed()
    states: dict[str | None, Any] = {None: None}
    for role, seed in (("student", demo.students[0]), ("teacher", demo.teacher)):
        context = module_browser.new_context()
        page = context.new_page()
        page.goto(f"{checked_school.base}/login")
        page.fill("#username", seed.username)
        page.fill("#password", seed.password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in url)
        states[role] = context.storage_state()
        context.close()
    return states


def _send_an_empty_login(page: Any) -> None:
    page.locator("main form button[type=submit]").click()
    page.locator("#username[aria-invalid=true]").wait_for(state="visible")


def _write_draft_with_a_phone_number(page: Any) -> None:
    page.fill("#composer-body", PHONE_DRAFT)  # one input event: the coach checks it once
    page.locator("#composer-charter .charter-finding--block").first.wait_for(state="visible")


@dataclass(frozen=True)
class Check:
    who: str | None
    path: Callable[[School], str]
    shows: str  # what the page must show to be checked in the state it is meant for
    prepare: Callable[[Any], None] | None = None


CHECKS = {
    "login": Check(None, lambda s: "/login", "main form #username"),
    "login-errors": Check(None, lambda s: "/login", "main form #username", _send_an_empty_login),
    "home-feed": Check("student", lambda s: "/", "[data-feed-posts] article.post"),
    "profile": Check("student", lambda s: f"/people/{s.classmate_id}", "main h1"),
    "view-as-recruiter": Check("student", lambda s: "/profile/view-as/recruiter",
                               ".preview-notice"),
    "group": Check("student", lambda s: f"/groups/{s.group_slug}", "main article.post"),
    "messages": Check("student", lambda s: f"/messages/{s.classmate_id}", ".message"),
    "company": Check("student", lambda s: f"/companies/{s.company_slug}", ".offer__title a"),
    "job-offer": Check("student", lambda s: f"/jobs/{s.offer_id}", "#offer-title"),
    "charter-coach": Check("student", lambda s: "/", "#composer-body",
                           _write_draft_with_a_phone_number),
    "teacher-dashboard": Check("teacher", lambda s: f"/classes/{s.class_id}/dashboard",
                               "#overview-rows tr"),
    "moderation-queue": Check("teacher", lambda s: "/moderation", "article.mod-case"),
    "grading": Check("teacher",
                     lambda s: f"/classes/{s.class_id}/grades/students/{s.student_id}",
                     "#entries-0-score"),
    "exercise-board": Check("teacher", lambda s: f"/exercises/{s.exercise_id}",
                            "[data-exercise-board] [data-objective]"),
}


def _describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} — {v['count']} element(s), first: "
        + "; ".join(v["targets"]) for v in violations)


@pytest.mark.parametrize("name", list(CHECKS))
def test_axe_finds_nothing_serious(name, axe_source, module_browser, checked_school, sessions):
    check, school = CHECKS[name], checked_school
    path = check.path(school)
    report = []
    for viewport_name, viewport in VIEWPORTS.items():
        # bypass_csp: the app's policy rightly refuses inline scripts, and axe is injected inline.
        context = module_browser.new_context(viewport=viewport, bypass_csp=True,
                                             storage_state=sessions[check.who])
        try:
            page = context.new_page()
            response = page.goto(f"{school.base}{path}")
            assert response is not None and response.ok, \
                f"{path}: HTTP {response and response.status}"
            page.locator(check.shows).first.wait_for(state="visible")
            if check.prepare is not None:
                check.prepare(page)
            page.add_script_tag(path=str(axe_source))
            violations = [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
        finally:
            context.close()
        if violations:
            size = f"{viewport['width']}x{viewport['height']}"
            report.append(f"{path} on a {viewport_name} ({size}):\n{_describe(violations)}")
    assert not report, "axe found serious or critical violations:\n" + "\n".join(report)
