"""The fablab (DESIGN.md §4.5): the three workshop groups, then a simulated recruitment.

The teacher finds the three workshop groups of the source material among the exercise templates
and prepares them; then she prepares a simulated recruitment in the browser (one recruiter team
for Halbrane Transit, two candidate teams), and starts it. The recruiter student publishes an
offer as the company's recruiter, both candidates apply, the recruiter shortlists one, writes to
them, offers them the job and turns the other down; each candidate reads the outcome. The
teacher ends the exercise, and the debrief tells each team's story in order.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from sandbox.seeding.files import read_demo_seed
from tests.e2e.journeys.conftest import School
from tests.e2e.pages import LETTER, OFFER_TITLE, login, plain, post_offer, submit, text_of

pytestmark = pytest.mark.browser

WORKSHOPS = {  # template: a phase only it has
    "create_identity": ("Créer son identité numérique", "Construire son profil"),
    "manage_identity": ("Gérer son identité numérique", "Soigner son profil et son réseau"),
    "professional_watch": ("Utiliser le réseau pour sa veille professionnelle",
                           "Construire sa veille"),
}
PHASES = ("Préparer (profils et offres)", "Candidatures", "Présélection et entretiens")
RECRUITER = "Leïla Mansouri"  # Halbrane Transit's recruiter, played by a student
APPROACH = ("Bonjour Madame Mansouri, je prépare un BTS Commerce International et les métiers "
            "de Halbrane Transit m'attirent : puis-je vous poser quelques questions ?")
INTERVIEW = ("Bonjour, votre candidature a retenu notre attention. Seriez-vous disponible "
             "jeudi à 10 heures pour un entretien dans nos locaux du Havre ?")


def _new_exercise(teacher: Any, school: School, class_id: int, template: str) -> str:
    """Create an exercise from a template; the URL of its page."""
    teacher.goto(school.url(f"/classes/{class_id}/exercises"))
    teacher.locator(f"input[name='template'][value='{template}']").check()
    teacher.locator("#new-exercise button[type=submit]").click()
    teacher.wait_for_url(re.compile(r"/exercises/\d+/edit$"))
    return teacher.url.rsplit("/edit", 1)[0]


def _in_order(section: Any, expected: list[tuple[str, str]]) -> None:
    """The debrief of a team tells these things, in this order, each under its phase."""
    lines = []
    for block in section.locator("h4.debrief-phase").all():
        phase = block.inner_text().split(" · ")[0]
        timeline = block.locator("xpath=following-sibling::ol[1]")
        lines += [(phase, plain(text)) for text in timeline.locator("li").all_inner_texts()]
    position = 0
    for phase, words in expected:
        found = next((index for index in range(position, len(lines))
                      if lines[index][0] == phase and words in lines[index][1]), None)
        assert found is not None, (phase, words, lines)
        position = found + 1


def _apply(page: Any, school: School) -> None:
    page.goto(school.url("/jobs/?q=transport"))
    page.locator("main a", has_text=OFFER_TITLE).first.click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    page.fill("#cover_letter", LETTER)
    page.locator("form[action$='/apply'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/jobs/applications"))
    assert OFFER_TITLE in page.locator("main").inner_text()


def _next_phase(teacher: Any, exercise_url: str, phase: str) -> None:
    teacher.goto(exercise_url)
    submit(teacher, teacher.locator("[data-step='next_phase']"))
    teacher.wait_for_url(exercise_url)
    assert teacher.locator("[data-phase-name]").inner_text().strip() == phase


def _move(page: Any, status: str) -> None:
    submit(page, page.locator(f"form:has(input[name='status'][value='{status}']) button"))
    assert page.locator(".flash--success").count() == 1


def test_the_workshop_groups_and_a_simulated_recruitment(browser: Any, school: School,
                                                          viewport: dict[str, int]) -> None:
    demo = read_demo_seed()
    recruiter_seed, first_seed, second_seed = demo.students[:3]
    problems: list[str] = []
    teacher = login(browser, school.base, demo.teacher.username, demo.teacher.password, viewport,
                    problems)
    teacher.goto(school.url("/classes/"))
    href = teacher.locator("main a[href^='/classes/']", has_text=demo.klass.name) \
        .first.get_attribute("href")
    class_id = int((href or "").rstrip("/").rsplit("/", 1)[-1])

    # The three workshop groups are templates, each with its own phases.
    teacher.goto(school.url(f"/classes/{class_id}/exercises"))
    templates = teacher.locator("#new-exercise").inner_text()
    for title, _ in WORKSHOPS.values():
        assert title in templates
    for template, (title, phase) in WORKSHOPS.items():
        _new_exercise(teacher, school, class_id, template)
        assert teacher.locator("h1").inner_text() == title
        assert phase in teacher.locator("section[aria-labelledby='phases-heading']").inner_text()
    teacher.goto(school.url(f"/classes/{class_id}/exercises"))
    listed = teacher.locator("section[aria-labelledby='list-heading']").inner_text()
    assert all(title in listed for title, _ in WORKSHOPS.values())

    # The simulated recruitment: one recruiter team, two candidate teams, then start.
    exercise_url = _new_exercise(teacher, school, class_id, "recruitment")
    joséphane = teacher.locator("form[action*='/teams/'][action$='/delete']",
                                has_text="Recruteurs Joséphane")
    teacher.once("dialog", lambda dialog: dialog.accept())
    submit(teacher, joséphane.locator("button"))
    teacher.wait_for_url(re.compile(r"/edit"))
    assert "Recruteurs Joséphane" not in teacher.locator("#members").inner_text()
    for seed, team in ((recruiter_seed, "Recruteurs Halbrane"), (first_seed, "Candidats 1"),
                       (second_seed, "Candidats 2")):
        option = teacher.locator("#member-student_id option", has_text=seed.last_name)
        teacher.locator("#member-student_id").select_option(option.get_attribute("value"))
        teacher.locator("#member-team_id").select_option(label=team)
        submit(teacher, teacher.locator("#members button[type=submit]").last)
        teacher.wait_for_url(re.compile(r"/edit#members$"))
        assert seed.last_name in teacher.locator("#members").inner_text()
    teacher.goto(exercise_url)
    submit(teacher, teacher.locator("[data-step='start']"))
    teacher.wait_for_url(exercise_url)
    assert "Préparer (profils et offres)" in teacher.locator("[data-exercise-live]").inner_text()

    # The recruiter student acts as Halbrane's recruiter, and publishes an offer for the class.
    recruiter = login(browser, school.base, recruiter_seed.username, recruiter_seed.password,
                      viewport, problems)
    recruiter.goto(school.url("/exercises/"))
    recruiter.locator("main a[href^='/exercises/']").first.click()
    recruiter.wait_for_url(exercise_url)
    assert text_of(recruiter.locator("#role-heading")) == "Ton équipe : Recruteurs Halbrane"
    recruiter.locator(".exercise-personas a.button", has_text=RECRUITER).click()
    recruiter.wait_for_url(re.compile(r"/personas/\d+"))
    persona_id = int(recruiter.url.split("/personas/")[1].split("?")[0].split("/")[0])
    post_offer(recruiter, school.url(f"/personas/{persona_id}/offers/new"))
    recruiter.wait_for_url(re.compile(rf"/personas/{persona_id}(\?|#|$)"))
    _next_phase(teacher, exercise_url, PHASES[1])

    # Both candidates apply; the first one approached the recruiter beforehand, and the
    # recruiter student accepts the invitation on her behalf.
    first = login(browser, school.base, first_seed.username, first_seed.password, viewport,
                  problems)
    first.goto(school.url(f"/people/{persona_id}"))
    first.locator(f".profile__actions a[href='/network/invite/{persona_id}']").click()
    first.fill("#message", APPROACH)
    first.locator("main form button[type=submit]").click()
    first.wait_for_url(school.url(f"/people/{persona_id}"))
    recruiter.goto(school.url(f"/personas/{persona_id}"))
    waiting = recruiter.locator("#invitations li.person-row",
                                has_text="Halbrane Transit m'attirent")
    assert "Léa K." in waiting.inner_text()  # her pseudonym: the recruiter is a classmate
    submit(recruiter, waiting.locator("form[action$='/accept'] button"))
    assert recruiter.locator("#invitations li.person-row").count() == 0
    _apply(first, school)
    second = login(browser, school.base, second_seed.username, second_seed.password, viewport,
                   problems)
    _apply(second, school)
    _next_phase(teacher, exercise_url, PHASES[2])

    # The recruiter reads the applications: shortlists the first candidate, writes to them,
    # interviews them and offers them the job; turns the second one down.
    recruiter.goto(school.url(f"/personas/{persona_id}"))
    links = recruiter.locator("a[href*='/applications/']")
    urls = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert len(urls) == 2, urls
    for url in urls:
        recruiter.goto(school.url(url))
        if first_seed.first_name in recruiter.title():
            _move(recruiter, "shortlisted")
            recruiter.locator(f"main a[href^='/personas/{persona_id}/messages/']").click()
            recruiter.wait_for_url(re.compile(rf"/personas/{persona_id}/messages/\d+"))
            recruiter.fill("#body", INTERVIEW)
            submit(recruiter, recruiter.locator("#message-form button[type=submit]"))
            assert recruiter.locator(".flash--success").count() == 1
            assert INTERVIEW in recruiter.locator("main").inner_text()
            recruiter.goto(school.url(url))
            _move(recruiter, "interview")
            _move(recruiter, "offer")
        else:
            recruiter.once("dialog", lambda dialog: dialog.accept())
            _move(recruiter, "declined")

    # Each candidate reads where they stand; the first one, the recruiter's message too.
    first.goto(school.url("/jobs/applications"))
    assert "Poste proposé" in first.locator("main").inner_text()
    first.goto(school.url(f"/messages/{persona_id}"))
    assert INTERVIEW in first.locator("[data-message-list]").inner_text()
    second.goto(school.url("/jobs/applications"))
    assert "Non retenue" in second.locator("main").inner_text()

    # The teacher ends the exercise; the debrief tells what each team did, in order.
    teacher.goto(exercise_url)
    teacher.once("dialog", lambda dialog: dialog.accept())
    submit(teacher, teacher.locator("[data-step='finish']"))
    teacher.wait_for_url(exercise_url)
    teacher.locator("main a[href$='/debrief']").first.click()
    teacher.wait_for_url(f"{exercise_url}/debrief")
    phases = teacher.locator("section[aria-labelledby='phases-heading'] li").all_inner_texts()
    assert [phase.split(" · ")[0] for phase in phases][:3] == list(PHASES)
    assert all("commencée à" in phase for phase in phases[:3])
    teams = teacher.locator("section.debrief-team")
    recruiters = teams.filter(has_text="Recruteurs Halbrane")
    assert "Atteint 1 offre publiée — 1 / 1" in text_of(recruiters)
    _in_order(recruiters, [
        (PHASES[0], f"A publié l’offre « {OFFER_TITLE} »"),
        (PHASES[1], "A accepté l’invitation de Léa K."),
        (PHASES[2], "candidature de Léa K. (Léa Kaddour) à « Présélectionnée »"),
        (PHASES[2], "A envoyé un message à Léa K."),
        (PHASES[2], "candidature de Léa K. (Léa Kaddour) à « Entretien »"),
        (PHASES[2], "candidature de Léa K. (Léa Kaddour) à « Poste proposé »"),
        (PHASES[2], "candidature de Camille Fontaine à « Non retenue »"),
    ])
    assert "(dans le rôle de Leïla Mansouri)" in recruiters.inner_text()
    _in_order(teams.filter(has_text="Candidats 1"), [
        (PHASES[1], "A invité Leïla Mansouri avec un message personnel"),
        (PHASES[1], f"A postulé à l’offre « {OFFER_TITLE} »"),
    ])
    assert problems == [], problems
