"""The exercises' routes in the authorization matrix (tests/test_authorization.py).

The class's teachers and the admins prepare, run and debrief an exercise; a student sees an
exercise once it has started and only if they are one of its members (Léa, "student", is a
member of the running one, not of the draft); anyone else is told it does not exist (404), a
member trying the teacher's buttons is refused (403). The POSTs send invalid data (the editor
comes back, nothing changes) or a step the exercise refuses (back to it, nothing changes); the
removals, made for them, come last.
"""

from __future__ import annotations

from tests.authz import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Case,
    logged_in,
    staff_of_the_class,
)


def add_entries(school: dict) -> dict:
    """A running exercise with Léa in its team; a draft with Hugo in a team, things to remove."""
    from sandbox.exercises import running, services, teams

    teacher = school["teacher"]
    live = services.create_exercise(teacher, school["class"].id, "blank", "Atelier en cours")
    services.add_phase(teacher, live.id, "Construire", 45)
    services.add_phase(teacher, live.id, "Présenter", 15)
    team = teams.add_team(teacher, live.id, "Équipe 1", "candidate")
    teams.assign_member(teacher, live.id, school["student"].id, team.id)
    running.start_exercise(teacher, live.id)
    draft = services.create_exercise(teacher, school["class"].id, "create_identity", "Brouillon")
    draft_team = teams.add_team(teacher, draft.id, "À retirer", "candidate")
    teams.assign_member(teacher, draft.id, school["classmate"].id, draft_team.id)
    return {
        "exercise_live": live,
        "exercise_live_phase": live.phases[0],
        "exercise_draft": draft,
        "exercise_draft_phase": draft.phases[0],
        "exercise_draft_team": draft.teams[0],
        "exercise_team_to_remove": draft_team,
        "exercise_draft_objective": draft.objectives[0],
    }


def hidden(staff: int) -> dict[str, int | str]:
    """Only the class's staff know it exists."""
    return {"anonymous": LOGIN, "student": NOT_FOUND, "other_student": NOT_FOUND,
            "other_teacher": NOT_FOUND, "teacher": staff, "admin": staff}


def member_sees(staff: int, member: int) -> dict[str, int | str]:
    return {**hidden(staff), "student": member}


def _live(s: dict) -> str:
    return f"/exercises/{s['exercise_live'].id}"


def _draft(s: dict) -> str:
    return f"/exercises/{s['exercise_draft'].id}"


NONE = "/exercises/99999999"

CASES: dict[str, list[Case]] = {
    "exercises.index": [
        Case("GET", lambda s: f"/classes/{s['class'].id}/exercises", staff_of_the_class()),
        Case("GET", lambda s: f"/classes/{s['other_class'].id}/exercises",
             {**staff_of_the_class(), "teacher": FORBIDDEN, "other_teacher": OK}),
        Case("GET", lambda s: "/classes/99999999/exercises", logged_in(NOT_FOUND)),
        Case("POST", lambda s: f"/classes/{s['class'].id}/exercises", staff_of_the_class(),
             data={"template": "quiz"}),
    ],
    "exercises.mine": [Case("GET", lambda s: "/exercises/", logged_in(OK))],
    "exercises.show": [
        Case("GET", _live, member_sees(OK, OK)),
        Case("GET", lambda s: f"{_live(s)}?fragment=board", member_sees(OK, OK)),
        Case("GET", lambda s: f"{_live(s)}?fragment=live", member_sees(OK, OK)),
        Case("GET", _draft, hidden(OK)),
        Case("GET", lambda s: NONE, logged_in(NOT_FOUND)),
    ],
    "exercises.debrief": [
        # A member reads it once the exercise is finished: until then, back to the exercise.
        Case("GET", lambda s: f"{_live(s)}/debrief", member_sees(OK, REDIRECT)),
        Case("GET", lambda s: f"{_draft(s)}/debrief", hidden(OK)),
    ],
    # The steps the exercise refuses in its state: back to it, nothing changed.
    "exercises.start": [Case("POST", lambda s: f"{_live(s)}/start",
                             member_sees(REDIRECT, FORBIDDEN))],
    "exercises.resume": [Case("POST", lambda s: f"{_live(s)}/resume",
                              member_sees(REDIRECT, FORBIDDEN))],
    "exercises.pause": [Case("POST", lambda s: f"{_draft(s)}/pause", hidden(REDIRECT))],
    "exercises.next_phase": [Case("POST", lambda s: f"{_draft(s)}/next", hidden(REDIRECT))],
    "exercises.finish": [
        Case("POST", lambda s: f"{_draft(s)}/finish", hidden(REDIRECT)),
        Case("POST", lambda s: f"{NONE}/finish", logged_in(NOT_FOUND)),
    ],
    "exercises.edit": [
        Case("GET", lambda s: f"{_draft(s)}/edit", hidden(OK)),
        Case("GET", lambda s: f"{_live(s)}/edit", member_sees(OK, FORBIDDEN)),
    ],
    "exercises.rename": [
        Case("POST", lambda s: f"{_draft(s)}/title", hidden(OK), data={"title-title": ""}),
        Case("POST", lambda s: f"{_live(s)}/title", member_sees(OK, FORBIDDEN),
             data={"title-title": ""}),
    ],
    "exercises.delete": [
        # A live exercise is finished first.
        Case("POST", lambda s: f"{_live(s)}/delete", member_sees(REDIRECT, FORBIDDEN)),
    ],
    "exercises.add_phase": [
        Case("POST", lambda s: f"{_draft(s)}/phases", hidden(OK),
             data={"new-phase-name": "", "new-phase-minutes": "0"}),
    ],
    "exercises.update_phase": [
        Case("POST", lambda s: f"{_draft(s)}/phases/{s['exercise_draft_phase'].id}", hidden(OK),
             data={}),
        # Another exercise's phase, through this one: not one of its phases.
        Case("POST", lambda s: f"{_draft(s)}/phases/{s['exercise_live_phase'].id}",
             hidden(NOT_FOUND), data={"exercise_live_phase-name": "X"}),
    ],
    "exercises.move_phase": [
        Case("POST", lambda s: f"{_draft(s)}/phases/{s['exercise_draft_phase'].id}/move",
             hidden(REDIRECT), data={"direction": "down"}),
    ],
    "exercises.add_team": [Case("POST", lambda s: f"{_draft(s)}/teams", hidden(OK), data={})],
    "exercises.update_team": [
        Case("POST", lambda s: f"{_draft(s)}/teams/{s['exercise_draft_team'].id}", hidden(OK),
             data={}),
    ],
    "exercises.assign_member": [
        Case("POST", lambda s: f"{_draft(s)}/members", hidden(OK), data={}),
        Case("POST", lambda s: f"{_live(s)}/members", member_sees(OK, FORBIDDEN), data={}),
    ],
    "exercises.add_objective": [
        Case("POST", lambda s: f"{_draft(s)}/objectives", hidden(OK), data={}),
    ],
    "exercises.update_objective": [
        Case("POST", lambda s: f"{_draft(s)}/objectives/{s['exercise_draft_objective'].id}",
             hidden(OK), data={}),
    ],
    # The removals, last.
    "exercises.remove_objective": [
        Case("POST", lambda s: f"{_draft(s)}/objectives/{s['exercise_draft_objective'].id}/delete",
             hidden(REDIRECT)),
    ],
    "exercises.remove_phase": [
        Case("POST", lambda s: f"{_draft(s)}/phases/{s['exercise_draft_phase'].id}/delete",
             hidden(REDIRECT)),
    ],
    "exercises.remove_member": [
        Case("POST", lambda s: f"{_draft(s)}/members/{s['classmate'].id}/delete",
             hidden(REDIRECT)),
        Case("POST", lambda s: f"{_draft(s)}/members/{s['other_student'].id}/delete",
             hidden(NOT_FOUND)),
    ],
    "exercises.remove_team": [
        Case("POST", lambda s: f"{_draft(s)}/teams/{s['exercise_team_to_remove'].id}/delete",
             hidden(REDIRECT)),
    ],
}
