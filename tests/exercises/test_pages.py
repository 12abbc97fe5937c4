"""The exercise page: the server-rendered timer (it reads without JavaScript), the staff's
buttons, the member's view of their team, the parts fetched again live, who may see it."""

from __future__ import annotations

import re
from datetime import timedelta


from sandbox.exercises.lists import live_exercise_of
from tests.exercises.helpers import add_team, make_exercise, start


def test_the_page_shows_the_phase_and_the_time_left_without_javascript(school, client_as):
    teacher, lea = school["teacher"], school["student"]
    exercise = make_exercise(teacher, school["class"])
    add_team(teacher, exercise, "Équipe 1", [lea])
    start(teacher, exercise, ago=timedelta(minutes=5, seconds=30))
    page = client_as(lea).get(f"/exercises/{exercise.id}").get_data(as_text=True)
    assert "Définir le projet" in page
    clock = re.search(r'<time data-timer data-remaining="(\d+)" data-running="1"\s+'
                      r'datetime="PT\d+S">(\d\d:\d\d)</time>', page)
    assert clock is not None and clock.group(2) in ("09:30", "09:29")
    assert 569 <= int(clock.group(1)) <= 570
    assert '<meta http-equiv="refresh" content="30">' in page  # inside <noscript>
    assert "exercise.js" in page
    assert 'data-step="pause"' not in page  # the buttons are the teacher's
    staff_page = client_as(teacher).get(f"/exercises/{exercise.id}").get_data(as_text=True)
    assert 'data-step="pause"' in staff_page and 'data-step="next_phase"' in staff_page


def test_the_live_part_follows_the_state(school, client_as):
    teacher, lea = school["teacher"], school["student"]
    exercise = make_exercise(teacher, school["class"])
    add_team(teacher, exercise, "Équipe 1", [lea])
    start(teacher, exercise)
    client = client_as(teacher)
    assert client.post(f"/exercises/{exercise.id}/pause").status_code == 302
    live = client_as(lea).get(f"/exercises/{exercise.id}?fragment=live").get_data(as_text=True)
    assert 'data-status="paused"' in live and 'data-running=""' in live
    assert "<html" not in live
    client.post(f"/exercises/{exercise.id}/next")
    live = client.get(f"/exercises/{exercise.id}?fragment=live").get_data(as_text=True)
    assert 'data-status="running"' in live and "Construire" in live
    refused = client.post(f"/exercises/{exercise.id}/next", follow_redirects=True)
    assert "flash--error" in refused.get_data(as_text=True)
    client.post(f"/exercises/{exercise.id}/finish")
    live = client.get(f"/exercises/{exercise.id}?fragment=live").get_data(as_text=True)
    assert f"/exercises/{exercise.id}/debrief" in live


def test_who_sees_the_exercise(school, client_as):
    teacher, lea = school["teacher"], school["student"]
    exercise = make_exercise(teacher, school["class"])
    add_team(teacher, exercise, "Équipe 1", [lea])
    url = f"/exercises/{exercise.id}"
    # A draft is the teacher's work in progress: its members do not see it yet.
    assert client_as(lea).get(url).status_code == 404
    start(teacher, exercise)
    assert client_as(lea).get(url).status_code == 200
    assert client_as(school["classmate"]).get(url).status_code == 404  # not a member
    assert client_as(school["other_student"]).get(url).status_code == 404
    assert client_as(school["other_teacher"]).get(url).status_code == 404
    assert client_as(school["admin"]).get(url).status_code == 200
    assert client_as(lea).post(f"{url}/pause").status_code == 403
    assert client_as(lea).get(f"{url}/edit").status_code == 403


def test_a_recruiter_member_finds_their_companys_personas(school, factories, app, client_as):
    teacher, lea = school["teacher"], school["student"]
    company = factories.make_company()
    claire = factories.make_persona(username="claire.halbrane", company=company)
    exercise = make_exercise(teacher, school["class"])
    add_team(teacher, exercise, "Recruteurs", [lea], company=company)
    start(teacher, exercise)
    page = client_as(lea).get(f"/exercises/{exercise.id}").get_data(as_text=True)
    assert company.name in page and claire.full_name in page
    console = app.url_map.bind("localhost").build("personas.console", {"user_id": claire.id})
    assert f'href="{console}"' in page
    # The board of the staff is not where they play personas.
    assert "console" not in client_as(teacher).get(
        f"/exercises/{exercise.id}").get_data(as_text=True)


def test_a_students_exercises_and_the_debrief_after_the_end(school, client_as):
    teacher, lea = school["teacher"], school["student"]
    exercise = make_exercise(teacher, school["class"], title="Recrutement du jeudi")
    add_team(teacher, exercise, "Équipe 1", [lea])
    client = client_as(lea)
    assert "Recrutement du jeudi" not in client.get("/exercises/").get_data(as_text=True)
    assert live_exercise_of(lea) is None
    start(teacher, exercise)
    assert "Recrutement du jeudi" in client.get("/exercises/").get_data(as_text=True)
    assert live_exercise_of(lea) == exercise  # the student's home links to it
    assert live_exercise_of(school["classmate"]) is None
    staff_list = client_as(teacher).get("/exercises/").get_data(as_text=True)
    assert "Recrutement du jeudi" in staff_list and school["class"].name in staff_list
    assert "Recrutement du jeudi" not in client_as(school["other_teacher"]).get(
        "/exercises/").get_data(as_text=True)
    debrief = client.get(f"/exercises/{exercise.id}/debrief")
    assert debrief.status_code == 302
    assert debrief.headers["Location"] == f"/exercises/{exercise.id}"
    client_as(teacher).post(f"/exercises/{exercise.id}/finish")
    assert client.get(f"/exercises/{exercise.id}/debrief").status_code == 200


def test_digits_from_other_scripts_are_refused_without_an_error(school, client_as):
    """"²".isdigit() is True in Python, but int("²") fails: the editor says the value is wrong."""
    teacher = school["teacher"]
    exercise = make_exercise(teacher, school["class"])
    client = client_as(teacher)
    for url, data in (
        ("members", {"member-student_id": "²", "member-team_id": "²"}),
        ("objectives", {"new-objective-role": "candidate", "new-objective-kind": "posts",
                        "new-objective-target": "²"}),
        ("teams", {"new-team-name": "Équipe ²", "new-team-role": "recruiter",
                   "new-team-company_id": "²"}),
        ("phases", {"new-phase-name": "Phase", "new-phase-minutes": "²"}),
    ):
        response = client.post(f"/exercises/{exercise.id}/{url}", data=data)
        assert response.status_code in (200, 302, 400), (url, response.status_code)
