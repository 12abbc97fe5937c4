"""The teacher's journey after a lesson: the dashboard sorted by charter findings, the student who
slipped, their grade overridden, the grades downloaded for a French spreadsheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox.seeding.files import read_demo_seed
from tests.e2e.pages import phone_login

pytestmark = pytest.mark.browser

PHONE_POST = "Bonjour, je cherche un stage : appelez-moi au 06 12 34 56 78 le soir."


def test_a_teacher_grades_the_student_the_charter_stopped(browser, demo_server, tmp_path):
    demo = read_demo_seed()
    slipping = demo.students[2]

    # A student tries to publish a phone number: the charter refuses it (the finding is kept).
    student_page = phone_login(browser, demo_server, slipping.username, slipping.password)
    student_page.fill("#composer-body", PHONE_POST)
    student_page.locator(".composer__form button[type=submit]").click()
    student_page.locator(".charter-finding--block").first.wait_for(state="visible")
    student_page.context.close()

    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(f"{demo_server}/login")
    page.fill("#username", demo.teacher.username)
    page.fill("#password", demo.teacher.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)

    # The class, then its dashboard, sorted by findings (most first).
    page.locator("main a[href^='/classes/']").filter(has_text=demo.klass.name).first.click()
    page.locator("main a[href$='/dashboard']").first.click()
    page.wait_for_url(re.compile(r"/classes/\d+/dashboard$"))
    page.locator("th a.sort-link[href*='sort=findings']").click()
    page.wait_for_url(re.compile(r"sort=findings"))
    first_row = page.locator("#overview-rows tr").first
    if "dir=asc" in page.url:  # the first click sorted the other way: most findings first
        page.locator("th a.sort-link[href*='sort=findings']").click()
        page.wait_for_url(re.compile(r"dir=desc"))
        first_row = page.locator("#overview-rows tr").first
    assert slipping.first_name in first_row.inner_text()

    # Their page: the finding is there, with the words found.
    first_row.locator("a").first.click()
    page.wait_for_url(re.compile(r"/dashboard/students/\d+"))
    assert page.locator("mark").filter(has_text="06 12 34 56 78").count() >= 1

    # Grade them: the teacher's score replaces the suggestion for the first criterion.
    page.locator("a[href*='/grades/students/']").first.click()
    page.wait_for_url(re.compile(r"/grades/students/\d+"))
    page.fill("#entries-0-score", "12,5")
    page.fill("#entries-0-comment", "Profil clair, attention aux coordonnées.")
    page.locator("main form button[type=submit].button--primary").click()
    page.locator(".flash, [role=status], .flashes").filter(has_text=slipping.first_name).first \
        .wait_for(state="visible")
    assert page.locator("#entries-0-score").input_value() == "12,5"

    # The grades, as a CSV for a French spreadsheet.
    page.locator("main a.button[href*='/grades']:not([href*='/students/'])").first.click()
    page.wait_for_url(re.compile(r"/classes/\d+/grades($|\?)"))
    with page.expect_download() as info:
        page.locator("a[href*='grades.csv'][href*='format=fr']").click()
    saved = Path(tmp_path) / "grades.csv"
    info.value.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    line = next(row for row in text.splitlines() if slipping.username in row)
    assert ";" in line and "12,5" in line.split(";")
    assert problems == [], problems
