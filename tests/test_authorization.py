"""Every route, tried as every role. A new route without an entry here fails the suite."""

from __future__ import annotations

import importlib

import pytest

from tests.authz import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    RECOMMENDATION,
    REDIRECT,
    ROLES,
    Case,
)
from tests.authz import admin_only as _admin_only
from tests.authz import any_staff as _any_staff
from tests.authz import everyone as _everyone
from tests.authz import logged_in as _logged_in
from tests.authz import staff_of_the_class as _staff_of_the_class

# Features that keep their cases next to their own tests.
FEATURE_CASES = (
    "tests.posts.authz", "tests.reactions.authz", "tests.groups.authz", "tests.messages.authz",
    "tests.charter.authz", "tests.moderation.authz", "tests.dashboard.authz",
    "tests.dashboard.authz_student", "tests.dashboard.authz_charts", "tests.dashboard.authz_feed",
    "tests.grading.authz", "tests.privacy.authz", "tests.jobs.authz", "tests.reviews.authz",
    # Exercises first: it starts a live exercise through the service, which refuses a student
    # already in another one; the personas' entries add theirs as rows.
    "tests.exercises.authz", "tests.personas.authz",
)


def _feature_modules() -> list:
    modules = []
    for name in FEATURE_CASES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:  # a feature still being written
            if error.name is None or not name.startswith(error.name):
                raise
    return modules


CORE_MATRIX: dict[str, list[Case]] = {
    "home.index": [
        Case("GET", lambda s: "/", {**_everyone(REDIRECT), "anonymous": OK, "student": OK,
                                    "other_student": OK}),
    ],
    "home.health": [Case("GET", lambda s: "/healthz", _everyone(OK))],
    "accounts.login": [
        Case("GET", lambda s: "/login", {**_everyone(REDIRECT), "anonymous": OK}),
        Case("POST", lambda s: "/login", {**_everyone(REDIRECT), "anonymous": OK},
             data={"username": "nobody", "password": "wrong-password"}),
    ],
    "accounts.logout": [Case("POST", lambda s: "/logout", _logged_in(REDIRECT))],
    "accounts.join": [
        Case("GET", lambda s: "/join", {**_everyone(REDIRECT), "anonymous": OK}),
        Case("POST", lambda s: "/join", {**_everyone(REDIRECT), "anonymous": OK}, data={}),
    ],
    "accounts.change_password": [
        Case("GET", lambda s: "/account/password", _logged_in(OK)),
        Case("POST", lambda s: "/account/password", _logged_in(OK), data={}),
    ],
    "accounts.set_language": [
        Case("POST", lambda s: "/language", _everyone(REDIRECT), data={"language": "en"}),
    ],
    "admin.index": [Case("GET", lambda s: "/admin/", _admin_only())],
    "admin.teachers": [
        Case("GET", lambda s: "/admin/teachers", _admin_only()),
        Case("POST", lambda s: "/admin/teachers", _admin_only(), data={}),
    ],
    "classes.index": [Case("GET", lambda s: "/classes/", _any_staff())],
    "classes.create": [
        Case("GET", lambda s: "/classes/new", _any_staff()),
        Case("POST", lambda s: "/classes/new", _any_staff(), data={}),
    ],
    "classes.show": [
        Case("GET", lambda s: f"/classes/{s['class'].id}", _staff_of_the_class()),
        Case("GET", lambda s: "/classes/999999", {**_any_staff(NOT_FOUND)}),
    ],
    "classes.settings": [
        Case("GET", lambda s: f"/classes/{s['class'].id}/settings", _staff_of_the_class()),
        Case("POST", lambda s: f"/classes/{s['class'].id}/settings", _staff_of_the_class(),
             data={"name": ""}),
    ],
    "classes.rotate_join_code": [
        Case("POST", lambda s: f"/classes/{s['class'].id}/join-code",
             _staff_of_the_class(REDIRECT)),
    ],
    "classes.join_poster": [
        Case("GET", lambda s: f"/classes/{s['class'].id}/join-poster", _staff_of_the_class()),
    ],
    "classes.roster": [
        Case("GET", lambda s: f"/classes/{s['class'].id}/roster", _staff_of_the_class()),
        Case("POST", lambda s: f"/classes/{s['class'].id}/roster", _staff_of_the_class(),
             data={}),
    ],
    "classes.reset_password": [
        Case("POST",
             lambda s: f"/classes/{s['class'].id}/students/{s['student'].id}/password",
             _staff_of_the_class()),
    ],
    "profiles.show": [
        Case("GET", lambda s: f"/people/{s['classmate'].id}",
             {**_logged_in(OK), "other_student": NOT_FOUND, "other_teacher": NOT_FOUND}),
        Case("GET", lambda s: f"/people/{s['persona'].id}", _logged_in(OK)),
        Case("GET", lambda s: "/people/99999999", _logged_in(NOT_FOUND)),
        Case("GET", lambda s: "/people/99999999999999999999", _everyone(NOT_FOUND)),
    ],
    "profiles.view_as": [
        Case("GET", lambda s: "/profile/view-as/recruiter", _logged_in(OK)),
        Case("GET", lambda s: "/profile/view-as/somebody", _logged_in(NOT_FOUND)),
    ],
    "profiles.edit": [
        Case("GET", lambda s: "/profile/edit", _logged_in(OK)),
        Case("POST", lambda s: "/profile/edit", _logged_in(REDIRECT), data={"headline": "Bonjour"}),
    ],
    "profiles.add_item": [
        Case("POST", lambda s: "/profile/languages/add", _logged_in(REDIRECT),
             data={"languages-language": "Anglais", "languages-level": "B2"}),
    ],
    "profiles.remove_item": [
        # someone else's entry, or none: never found
        Case("POST", lambda s: f"/profile/languages/{s['classmate_language'].id}/delete",
             _logged_in(NOT_FOUND)),
    ],
    "profiles.edit_item": [
        Case("GET", lambda s: f"/profile/languages/{s['classmate_language'].id}/edit",
             {**_logged_in(NOT_FOUND), "student": NOT_FOUND}),
        Case("POST", lambda s: f"/profile/languages/{s['classmate_language'].id}/edit",
             _logged_in(NOT_FOUND), data={"language": "Pirate"}),
    ],
    "profiles.pictures": [Case("GET", lambda s: "/profile/pictures", _logged_in(OK))],
    "profiles.upload_picture": [
        Case("POST", lambda s: "/profile/pictures/avatar", _logged_in(OK), data={}),
    ],
    "profiles.remove_picture": [
        Case("POST", lambda s: "/profile/pictures/banner/delete", _logged_in(REDIRECT)),
    ],
    "profiles.photo_checklist": [
        Case("POST", lambda s: "/profile/photo-checklist", _logged_in(REDIRECT),
             data={"bed": "y"}),
    ],
    "profiles.picture": [
        Case("GET", lambda s: s["classmate_photo_url"],
             {**_logged_in(OK), "other_student": NOT_FOUND, "other_teacher": NOT_FOUND}),
        Case("GET", lambda s: f"/pictures/{s['classmate'].id}/avatar-0000000000000000.webp",
             _logged_in(NOT_FOUND)),
    ],
    "search.results": [Case("GET", lambda s: "/search?q=martin", _logged_in(OK))],
    "companies.index": [Case("GET", lambda s: "/companies/", _logged_in(OK))],
    "companies.show": [
        Case("GET", lambda s: f"/companies/{s['persona'].persona.company.slug}", _logged_in(OK)),
        Case("GET", lambda s: "/companies/no-such-company", _logged_in(NOT_FOUND)),
    ],
    "companies.logo": [
        Case("GET", lambda s: f"/companies/{s['persona'].persona.company.slug}/logo.svg",
             _logged_in(OK)),
    ],
    "follows.index": [Case("GET", lambda s: "/follows/", _logged_in(OK))],
    "follows.follow_person": [
        Case("POST", lambda s: f"/follows/people/{s['classmate'].id}",
             {**_logged_in(REDIRECT), "other_student": NOT_FOUND, "other_teacher": NOT_FOUND}),
        Case("POST", lambda s: f"/follows/people/{s['persona'].id}", _logged_in(REDIRECT)),
        Case("POST", lambda s: "/follows/people/99999999", _logged_in(NOT_FOUND)),
        Case("POST", lambda s: "/follows/people/99999999999999999999", _everyone(NOT_FOUND)),
    ],
    "follows.unfollow_person": [
        Case("POST", lambda s: f"/follows/people/{s['classmate'].id}/delete", _logged_in(REDIRECT)),
    ],
    "follows.follow_company": [
        Case("POST", lambda s: f"/follows/companies/{s['persona'].persona.company.slug}",
             _logged_in(REDIRECT)),
        Case("POST", lambda s: "/follows/companies/no-such-company", _logged_in(NOT_FOUND)),
    ],
    "follows.unfollow_company": [
        Case("POST", lambda s: f"/follows/companies/{s['persona'].persona.company.slug}/delete",
             _logged_in(REDIRECT)),
    ],
    "follows.follow_hashtag_form": [
        Case("POST", lambda s: "/follows/hashtags", _logged_in(REDIRECT), data={"tag": "#Export"}),
    ],
    "follows.follow_hashtag": [Case("POST", lambda s: "/follows/hashtags/export", _logged_in(REDIRECT))],
    "follows.unfollow_hashtag": [
        Case("POST", lambda s: "/follows/hashtags/export/delete", _logged_in(REDIRECT)),
    ],
    "contact_lists.index": [Case("GET", lambda s: "/contact-lists/", _logged_in(OK))],
    "contact_lists.create": [
        Case("POST", lambda s: "/contact-lists/", _logged_in(REDIRECT), data={"name": "Pro"}),
    ],
    "contact_lists.rename": [
        Case("POST", lambda s: f"/contact-lists/{s['student_list'].id}/rename",
             {**_logged_in(NOT_FOUND), "student": REDIRECT}, data={"name": "Perso"}),
    ],
    "contact_lists.add_member": [
        Case("POST", lambda s: f"/contact-lists/{s['student_list'].id}/members",
             {**_logged_in(NOT_FOUND), "student": REDIRECT}),
    ],
    "contact_lists.remove_member": [
        Case("POST",
             lambda s: f"/contact-lists/{s['student_list'].id}/members/{s['classmate'].id}/delete",
             {**_logged_in(NOT_FOUND), "student": REDIRECT}),
    ],
    "contact_lists.delete": [  # last: it deletes the list
        Case("POST", lambda s: "/contact-lists/99999999/delete", _logged_in(NOT_FOUND)),
        Case("POST", lambda s: f"/contact-lists/{s['student_list'].id}/delete",
             {**_logged_in(NOT_FOUND), "student": REDIRECT}),
    ],
    "network.index": [Case("GET", lambda s: "/network/", _logged_in(OK))],
    "network.invite": [
        Case("GET", lambda s: f"/network/invite/{s['persona'].id}", _logged_in(OK)),
        Case("GET", lambda s: f"/network/invite/{s['other_student'].id}",
             {**_logged_in(NOT_FOUND), "other_student": NOT_FOUND, "other_teacher": OK,
              "admin": OK}),
        Case("POST", lambda s: f"/network/invite/{s['persona'].id}", _logged_in(OK),
             data={"message": ""}),  # coached first: the page comes back with hints
    ],
    "network.withdraw": [
        Case("POST", lambda s: f"/network/invitations/{s['invitation'].id}/withdraw",
             {**_logged_in(NOT_FOUND)}),
    ],
    "network.answer": [
        Case("POST", lambda s: f"/network/invitations/{s['invitation'].id}/maybe",
             _logged_in(NOT_FOUND)),
        # to a persona: the teachers and admins answer for it (it is done once, then refused)
        Case("POST", lambda s: f"/network/invitations/{s['invitation'].id}/ignore",
             {**_logged_in(NOT_FOUND), "teacher": REDIRECT, "admin": REDIRECT}),
    ],
    "network.remove_connection": [
        Case("POST", lambda s: f"/network/connections/{s['other_student'].id}/delete",
             _logged_in(NOT_FOUND)),
    ],
    "network.connections": [
        Case("GET", lambda s: f"/network/people/{s['classmate'].id}/connections",
             {**_logged_in(FORBIDDEN), "student": OK, "teacher": OK, "admin": OK,
              "other_student": NOT_FOUND, "other_teacher": NOT_FOUND}),
    ],
    "network.persona_invitations": [
        Case("GET", lambda s: "/network/personas",
             {**_logged_in(FORBIDDEN), "teacher": OK, "other_teacher": OK, "admin": OK}),
    ],
    "network.introductions": [
        Case("GET", lambda s: "/network/introductions", _logged_in(OK)),
        Case("POST", lambda s: "/network/introductions", _logged_in(OK), data={}),
    ],
    "notifications.index": [Case("GET", lambda s: "/notifications/", _logged_in(OK))],
    "notifications.open_one": [
        Case("POST", lambda s: f"/notifications/{s['student_notification'].id}/open",
             {**_logged_in(NOT_FOUND), "student": REDIRECT}),
    ],
    "notifications.mark_read": [Case("POST", lambda s: "/notifications/read", _logged_in(REDIRECT))],
    "recommendations.index": [Case("GET", lambda s: "/recommendations/", _logged_in(OK))],
    "recommendations.write": [
        Case("POST", lambda s: f"/people/{s['classmate'].id}/recommendations",
             {**_logged_in(OK), "other_student": NOT_FOUND, "other_teacher": NOT_FOUND},
             data={"text": RECOMMENDATION}),
        Case("POST", lambda s: "/people/99999999/recommendations", _logged_in(NOT_FOUND),
             data={"text": RECOMMENDATION}),
    ],
    "recommendations.accept": [
        Case("POST", lambda s: f"/recommendations/{s['classmate_recommendation'].id}/accept",
             _logged_in(NOT_FOUND)),
    ],
    "recommendations.decline": [
        Case("POST", lambda s: f"/recommendations/{s['classmate_recommendation'].id}/decline",
             _logged_in(NOT_FOUND)),
    ],
    "recommendations.endorse": [
        Case("POST",
             lambda s: f"/people/{s['classmate'].id}/skills/{s['classmate_skill'].id}/endorse",
             {**_logged_in(REDIRECT), "other_student": NOT_FOUND, "other_teacher": NOT_FOUND}),
        Case("POST",
             lambda s: f"/people/{s['student'].id}/skills/{s['classmate_skill'].id}/endorse",
             _logged_in(NOT_FOUND)),
    ],
    "recommendations.unendorse": [
        Case("POST",
             lambda s: f"/people/{s['classmate'].id}/skills/{s['classmate_skill'].id}/unendorse",
             {**_logged_in(REDIRECT), "other_student": NOT_FOUND, "other_teacher": NOT_FOUND}),
    ],
    "recommendations.journal": [
        Case("GET", lambda s: "/journal", {**_logged_in(FORBIDDEN), "student": OK,
                                           "other_student": OK}),
    ],
    "recommendations.add_outcome": [
        Case("POST", lambda s: "/journal",
             {**_logged_in(FORBIDDEN), "student": REDIRECT, "other_student": REDIRECT},
             data={"kind": "advice", "note": "Refaire le CV"}),
        Case("POST", lambda s: "/journal",
             {**_logged_in(FORBIDDEN), "student": OK, "other_student": OK}, data={"kind": ""}),
    ],
    "recommendations.delete_outcome": [
        Case("POST", lambda s: f"/journal/{s['classmate_outcome'].id}/delete",
             _logged_in(NOT_FOUND)),
    ],
    "recommendations.student_journal": [
        Case("GET", lambda s: f"/students/{s['classmate'].id}/journal",
             {**_logged_in(NOT_FOUND), "teacher": OK, "admin": OK}),
        Case("GET", lambda s: f"/students/{s['student'].id}/journal",
             {**_logged_in(NOT_FOUND), "teacher": OK, "admin": OK, "student": REDIRECT}),
        Case("GET", lambda s: f"/students/{s['teacher'].id}/journal", _logged_in(NOT_FOUND)),
        Case("GET", lambda s: "/students/99999999/journal", _logged_in(NOT_FOUND)),
    ],
}

MATRIX: dict[str, list[Case]] = dict(CORE_MATRIX)
for _module in _feature_modules():
    MATRIX.update(_module.CASES)

# Served by Flask itself, with no data of anyone's.
EXEMPT = {"static"}


def test_every_route_and_method_has_an_entry(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(endpoint, case.method) for endpoint, cases in MATRIX.items() for case in cases}
    missing = sorted(routes - covered)
    assert not missing, f"add these routes to the authorization matrix: {missing}"
    stale = sorted(covered - routes)
    assert not stale, f"the matrix names routes that no longer exist: {stale}"


@pytest.fixture
def school_with_entries(school):  # type: ignore[no-untyped-def]
    """The school, plus a profile entry and a real photo of the classmate's."""
    import io

    from PIL import Image

    from sandbox.extensions import db
    from sandbox.media.images import ImageKind
    from sandbox.profiles.models import LanguageSkill, ProfileSkill
    from sandbox.network.lists import add_member, create_list
    from sandbox.network.models import Invitation, NetworkOutcome, OutcomeKind, Recommendation
    from sandbox.network.services import connect
    from sandbox.notifications.services import notify
    from sandbox.profiles.services import set_picture

    classmate = school["classmate"]
    language = LanguageSkill(profile_id=classmate.id, language="Espagnol")
    db.session.add(language)
    db.session.commit()
    photo = io.BytesIO()
    Image.new("RGB", (300, 300), (200, 60, 60)).save(photo, "PNG")
    set_picture(classmate, ImageKind.AVATAR, photo.getvalue())
    name = classmate.profile.photo_path.rsplit("/", 1)[-1]
    connect(school["student"], classmate)
    db.session.commit()
    student_list = create_list(school["student"], "Pro")
    add_member(school["student"], student_list.id, classmate.id)
    invitation = Invitation(sender_id=school["classmate"].id, recipient_id=school["persona"].id,
                            message="Bonjour, votre entreprise m'intéresse beaucoup.")
    recommendation = Recommendation(author_id=school["student"].id, recipient_id=classmate.id,
                                    text="Hugo est un camarade fiable et toujours prêt à aider.")
    skill = ProfileSkill(profile_id=classmate.id, name="Négociation")
    outcome = NetworkOutcome(student_id=classmate.id, kind=OutcomeKind.ADVICE)
    db.session.add_all([invitation, recommendation, skill, outcome])
    notification = notify(school["student"], "new_follower", actor=classmate)
    db.session.commit()
    entries = {}
    for module in _feature_modules():
        entries.update(module.add_entries(school))
    return {**school, **entries, "classmate_language": language, "student_list": student_list,
            "invitation": invitation, "classmate_recommendation": recommendation,
            "classmate_skill": skill, "student_notification": notification, "classmate_outcome": outcome,
            "classmate_photo_url": f"/pictures/{classmate.id}/{name}"}


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(role, school_with_entries, client_as):
    school = school_with_entries
    user = None if role == "anonymous" else school[role]
    for endpoint, cases in MATRIX.items():
        for case in cases:
            client = client_as(user)  # a fresh session for every request
            url = case.url(school)
            response = client.open(url, method=case.method, data=case.data)
            response.close()  # a served picture keeps its file open until then
            expected = case.expected[role]
            where = f"{case.method} {url} ({endpoint}) as {role}"
            if expected == LOGIN:
                assert response.status_code == 302, where
                assert response.headers["Location"].startswith("/login"), where
            else:
                assert response.status_code == expected, f"{where}: {response.status_code}"
