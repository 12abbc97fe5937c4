"""A fablab exercise during the lesson: the teacher prepares and starts it; the board on the
teacher's screen counts what a member does without a reload, and the timer on the member's
phone moves to the next phase when the teacher clicks "next"."""

from __future__ import annotations

import re

import pytest

from sandbox.seeding.files import read_demo_seed
from tests.e2e.pages import phone_login

pytestmark = pytest.mark.browser


def _progress(page, kind: str) -> str:  # type: ignore[no-untyped-def]
    return page.locator(f"[data-exercise-board] [data-objective='{kind}'] [data-progress]") \
        .first.inner_text().strip()


def test_the_board_and_the_timer_follow_the_lesson_live(browser, demo_server):
    base = demo_server
    demo = read_demo_seed()
    member_seed = demo.students[0]
    member_name = member_seed.pseudonym or f"{member_seed.first_name} {member_seed.last_name}"
    problems: list[str] = []

    # The teacher prepares a "professional watch" exercise and puts the student in team 1.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = context.new_page()
    teacher.on("pageerror", lambda error: problems.append(str(error)))
    teacher.on("console", lambda m: m.type == "error" and problems.append(m.text))
    teacher.goto(f"{base}/login")
    teacher.fill("#username", demo.teacher.username)
    teacher.fill("#password", demo.teacher.password)
    teacher.locator("main form button[type=submit]").click()
    teacher.wait_for_url(lambda url: "/login" not in url)
    teacher.goto(f"{base}/classes/")
    href = teacher.locator("main a[href^='/classes/']").filter(has_text=demo.klass.name) \
        .first.get_attribute("href")
    class_id = int(re.search(r"/classes/(\d+)", href or "").group(1))  # type: ignore[union-attr]
    teacher.goto(f"{base}/classes/{class_id}/exercises")
    teacher.locator("input[name='template'][value='professional_watch']").check()
    teacher.locator("#new-exercise button[type=submit]").click()
    teacher.wait_for_url(re.compile(r"/exercises/\d+/edit$"))
    exercise_url = teacher.url.rsplit("/edit", 1)[0]
    teacher.locator("#member-student_id").select_option(label=member_name)
    teacher.locator("#member-team_id").select_option(label="Équipe 1")
    teacher.locator("#members button[type=submit]").last.click()
    teacher.wait_for_url(re.compile(r"/edit#members$"))
    assert member_name in teacher.locator("#members").inner_text()
    teacher.goto(exercise_url)
    teacher.locator("[data-step='start']").click()
    teacher.wait_for_url(exercise_url)
    teacher.wait_for_function("() => window.Tremplin.socket && window.Tremplin.socket.connected")
    assert _progress(teacher, "follows") == "0 / 8"

    # The member's phone shows the shared timer, counting down.
    phone = phone_login(browser, base, member_seed.username, member_seed.password, problems)
    phone.goto(exercise_url)
    phone.wait_for_function("() => window.Tremplin.socket && window.Tremplin.socket.connected")
    assert "Définir le projet" in phone.locator("[data-exercise-live]").inner_text()
    first_clock = phone.locator("[data-timer]").inner_text()
    assert re.fullmatch(r"1[45]:\d\d", first_clock)
    phone.wait_for_function(
        f"() => document.querySelector('[data-timer]').textContent !== '{first_clock}'")

    # The member follows a hashtag (in another tab of the phone): the board counts it live.
    teacher.evaluate("() => { window.__notReloaded = true; }")
    other_tab = phone.context.new_page()
    other_tab.goto(f"{base}/follows/")
    other_tab.fill("#follow-tag", "#veille")
    other_tab.locator("form[action$='/follows/hashtags'] button[type=submit]").click()
    other_tab.wait_for_load_state()
    teacher.wait_for_function(
        "() => document.querySelector(\"[data-exercise-board] [data-objective='follows'] "
        "[data-progress]\").textContent.trim() === '1 / 8'", timeout=15000)
    assert member_name in teacher.locator("[data-exercise-board]").inner_text()
    assert teacher.evaluate("() => window.__notReloaded === true")

    # The teacher moves on: the phone shows the next phase, without a reload.
    phone.evaluate("() => { window.__notReloaded = true; }")
    teacher.locator("[data-step='next_phase']").click()
    teacher.wait_for_url(exercise_url)
    phone.wait_for_function(
        "() => document.querySelector('[data-phase-name]').textContent.trim() === "
        "'Construire sa veille'", timeout=15000)
    assert phone.evaluate("() => window.__notReloaded === true")
    assert re.fullmatch(r"4[45]:\d\d", phone.locator("[data-timer]").inner_text())
    assert problems == [], problems
