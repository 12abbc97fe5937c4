"""The teacher's journey (DESIGN.md §4.4), from a new class to the exported grades.

Sophie Martin creates a class for next term, prints its join code and imports its roster
(login cards, no e-mail needed). In her current class she makes the charter flag SMS language,
watches the class feed while a student (on his phone) signs the changed charter and posts in
SMS language; the post arrives on her feed live, then in her moderation queue, where she hides
it. She reads the student's activity and charter findings, grades him with the rubric, and
downloads the grades (CSV for a French spreadsheet), the class's activity and his data.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sandbox.seeding.files import read_demo_seed
from tests.e2e.journeys.conftest import School
from tests.e2e.pages import PHONE, login, submit

pytestmark = pytest.mark.browser

NEW_CLASS = "BTS CI 2e année — Prospection export"
# As a French spreadsheet saves it: semicolons, and a byte-order mark.
ROSTER = "Prénom;Nom\nInès;Moreau\nHugo;Lambert\n".encode("utf-8-sig")
SMS_POST = "slt tt le monde, jsp où trouver un stage en logistique. Des conseils ?"


def _download(page: Any, link: Any, folder: Path) -> bytes:
    with page.expect_download() as info:
        link.click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved.read_bytes()


def test_a_teacher_runs_her_classes(browser: Any, school: School, viewport: dict[str, int],
                                    tmp_path: Path) -> None:
    demo = read_demo_seed()
    mathieu = demo.students[0]
    problems: list[str] = []
    teacher = login(browser, school.base, demo.teacher.username, demo.teacher.password, viewport,
                    problems, accept_downloads=True)

    # A new class: its code, printed for the classroom wall.
    teacher.goto(school.url("/classes/"))
    teacher.locator("main a[href='/classes/new']").click()
    teacher.fill("#name", NEW_CLASS)
    teacher.locator("main form button[type=submit]").click()
    teacher.wait_for_url(re.compile(r"/classes/\d+$"))
    new_class_url = teacher.url
    assert teacher.locator("h1").inner_text() == NEW_CLASS
    code = teacher.locator("p.join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    teacher.locator("main a[href$='/join-poster']").click()
    teacher.wait_for_url(re.compile(r"/join-poster$"))
    assert teacher.locator("h1").inner_text() == f"Rejoins {NEW_CLASS} sur Tremplin"
    assert teacher.locator(".join-code").inner_text().strip() == code

    # Its roster, from a spreadsheet: one login card per student.
    teacher.goto(new_class_url)
    teacher.locator("main a[href$='/roster']").click()
    teacher.set_input_files("#roster", files=[
        {"name": "eleves.csv", "mimeType": "text/csv", "buffer": ROSTER}])
    teacher.locator("main form button[type=submit]").click()
    assert teacher.locator("h1").inner_text() == "Cartes de connexion"
    cards = teacher.locator("main").inner_text()
    assert "ines.moreau" in cards and "hugo.lambert" in cards
    teacher.goto(new_class_url)
    students = teacher.locator("section[aria-labelledby='students-heading']").inner_text()
    assert "Inès Moreau" in students and "Hugo Lambert" in students

    # Her current class: SMS language will now be flagged to her, not only coached.
    teacher.goto(school.url("/classes/"))
    teacher.locator("main a[href^='/classes/']", has_text=demo.klass.name).first.click()
    teacher.wait_for_url(re.compile(r"/classes/\d+$"))
    class_url = teacher.url
    class_id = int(class_url.rsplit("/", 1)[-1])
    teacher.locator("main a[href$='/charter']").first.click()
    severity = teacher.locator("#rule-no_sms_language select[name$='severity']")
    assert severity.input_value() == "coach"
    severity.select_option("flag")
    submit(teacher, teacher.locator("main form button[type=submit].button--primary").first)
    teacher.wait_for_url(re.compile(r"/charter"))
    assert teacher.locator(".flash--success").count() == 1
    assert teacher.locator("#rule-no_sms_language select[name$='severity']").input_value() \
        == "flag"

    # She watches the class feed while the lesson goes on.
    teacher.goto(class_url)
    teacher.locator("main a[href$='/dashboard/feed']").click()
    teacher.wait_for_url(school.url(f"/classes/{class_id}/dashboard/feed"))
    teacher.wait_for_function("() => window.Tremplin.socket && window.Tremplin.socket.connected")
    teacher.evaluate("() => { window.__notReloaded = true; }")

    # A student, on his phone, signs the changed charter, and posts in SMS language anyway.
    student = login(browser, school.base, mathieu.username, mathieu.password, PHONE, problems)
    student.wait_for_url(re.compile(r"/charter/sign"))
    assert student.locator(".charter-changes").is_visible()
    student.locator("#agree").check()
    student.locator("form.charter-sign button[type=submit]").click()
    student.wait_for_url(lambda url: "/charter/sign" not in url)
    student.goto(school.url("/"))
    student.fill("#composer-body", SMS_POST)
    # The coach marks the SMS words as he types, and tells him his teacher will see them.
    box = student.locator("#composer-charter")
    box.locator(".charter-finding--flag").first.wait_for()
    assert box.locator(".charter-finding--flag").count() == 3, box.inner_text()
    student.locator(".composer__form button[type=submit]").click()
    student.wait_for_url(school.url("/"))
    assert "jsp où trouver un stage" in student.locator(
        "[data-feed-posts] article.post").first.inner_text()

    # It arrives on her feed, without a reload.
    new_button = teacher.locator("[data-class-feed-new]")
    new_button.wait_for(state="visible")
    new_button.click()
    teacher.locator("article", has_text="jsp où trouver un stage").first.wait_for()
    assert teacher.evaluate("() => window.__notReloaded === true")

    # Her moderation queue has it, with the rule it broke; she hides it.
    teacher.goto(school.url("/moderation"))
    case = teacher.locator("article.mod-case", has_text="où trouver un stage en logistique").first
    assert "Repéré par la charte" in case.inner_text()
    case.locator("textarea[name=reason]").first.fill("Langage SMS : reformule ton message.")
    submit(teacher, case.locator("button[formaction$='/hide']"))
    assert teacher.locator(".flash--success").count() == 1
    student.reload()
    assert student.locator("article.post", has_text="jsp où trouver un stage").count() == 0

    # His activity and his charter findings, the SMS words marked.
    teacher.goto(class_url)
    teacher.locator("main a[href$='/dashboard']").first.click()
    teacher.locator("#overview-rows a", has_text=mathieu.last_name).first.click()
    teacher.wait_for_url(re.compile(r"/dashboard/students/\d+"))
    findings = teacher.locator("section[aria-labelledby='findings-heading']")
    marked = findings.locator("mark").all_inner_texts()
    assert {"slt", "jsp"} <= {word.strip().lower() for word in marked}, marked
    assert "A publié" in teacher.locator("#timeline").inner_text()

    # She grades him with the rubric: her score replaces the suggestion.
    teacher.locator("main a[href*='/grades/students/']").first.click()
    teacher.wait_for_url(re.compile(r"/grades/students/\d+"))
    teacher.fill("#entries-0-score", "14,5")
    teacher.fill("#entries-0-comment", "Profil soigné ; attention au langage SMS.")
    teacher.locator("main form button[type=submit].button--primary").click()
    teacher.locator(".flash--success").wait_for()
    saved = teacher.locator(".flash--success").inner_text()
    assert "Notes de Mathieu Dupré enregistrées" in saved

    # The grades for a French spreadsheet; the class's activity; his data.
    teacher.goto(school.url(f"/classes/{class_id}/grades"))
    grades = _download(teacher, teacher.locator("a[href*='grades.csv'][href*='format=fr']"),
                       tmp_path)
    assert grades.startswith(b"\xef\xbb\xbf")  # a BOM, for the spreadsheet to read UTF-8
    row = next(line for line in grades.decode("utf-8-sig").splitlines()
               if mathieu.username in line)
    assert "14,5" in row.split(";")
    teacher.goto(school.url(f"/classes/{class_id}/dashboard"))
    activity = _download(teacher, teacher.locator("a[href*='activity.csv'][href*='format=fr']"),
                         tmp_path).decode("utf-8-sig")
    assert ";" in activity.splitlines()[0] and mathieu.username in activity
    teacher.goto(class_url)
    row = teacher.locator("section[aria-labelledby='students-heading'] tr",
                          has_text=mathieu.username)
    archive = _download(teacher, row.locator("a[href$='/data.zip']"), tmp_path)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        data = json.loads(opened.read("data.json"))
    text = json.dumps(data, ensure_ascii=False)
    assert mathieu.username in text and "où trouver un stage en logistique" in text
    assert problems == [], problems
