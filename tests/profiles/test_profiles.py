"""Profiles: what each viewer sees, editing, lists, completeness, the recruiter's view."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.core.errors import NotFound, ServiceError
from sandbox.extensions import db
from sandbox.network.services import connect
from sandbox.profiles import services
from sandbox.profiles.completeness import completeness
from sandbox.profiles.models import Education, Experience, LanguageSkill, ProfileSkill
from sandbox.profiles.services import ItemKind, PreviewAudience, ProfileChanges
from sandbox.profiles.visibility import Standing, standing


def _changes(**fields):  # type: ignore[no-untyped-def]
    values = dict(headline="", about="", city="", contact_email="", contact_phone="",
                  skills="", hashtags="", visibility={})
    values.update(fields)
    return ProfileChanges(**values)


@pytest.fixture
def lea(school):  # type: ignore[no-untyped-def]
    """Léa's profile: phone for her teacher only, e-mail for connections, the rest public."""
    student = school["student"]
    services.update_profile(student, student, _changes(
        headline="Étudiante en BTS CI, en recherche de stage export",
        about="Passionnée de commerce international.",
        city="Besançon",
        contact_email="lea.pro@lycee.example",
        contact_phone="06 11 22 33 44",
        skills="Anglais\nProspection, Négociation",
        hashtags="#i4emploi #export",
        visibility={"contact_phone": "teacher", "contact_email": "connections"},
    ))
    return student


def test_standings(school, lea):
    assert standing(lea, lea) is Standing.SELF
    assert standing(school["teacher"], lea) is Standing.TEACHER
    assert standing(school["admin"], lea) is Standing.TEACHER
    assert standing(school["classmate"], lea) is Standing.NETWORK
    assert standing(school["other_student"], lea) is Standing.STRANGER
    assert standing(school["other_teacher"], lea) is Standing.STRANGER
    connect(lea, school["classmate"])
    db.session.commit()
    assert standing(school["classmate"], lea) is Standing.CONNECTION


def test_each_viewer_sees_only_what_lea_allows(client_as, school, lea):
    classmate_page = client_as(school["classmate"]).get(f"/people/{lea.id}").get_data(as_text=True)
    assert "Étudiante en BTS CI" in classmate_page
    assert "Ouvert aux opportunités" in classmate_page  # #i4emploi
    assert "06 11 22 33 44" not in classmate_page
    assert "lea.pro@lycee.example" not in classmate_page

    connect(lea, school["classmate"])
    db.session.commit()
    connection_page = client_as(school["classmate"]).get(f"/people/{lea.id}").get_data(as_text=True)
    assert "lea.pro@lycee.example" in connection_page
    assert "06 11 22 33 44" not in connection_page  # teacher only

    teacher_page = client_as(school["teacher"]).get(f"/people/{lea.id}").get_data(as_text=True)
    assert "06 11 22 33 44" in teacher_page and "lea.pro@lycee.example" in teacher_page


def test_a_student_of_another_class_cannot_find_the_profile(client_as, school, lea):
    other = client_as(school["other_student"])
    assert other.get(f"/people/{lea.id}").status_code == 404
    assert "Étudiante" not in other.get("/search?q=etudiante").get_data(as_text=True)
    with pytest.raises(NotFound):
        services.profile_page(school["other_student"], lea.id)


def test_teacher_only_fields_never_reach_classmates_through_search(client_as, school, lea):
    lea.profile.visibility = {**lea.profile.visibility, "headline": "teacher"}
    db.session.commit()
    classmate = client_as(school["classmate"])
    assert f"/people/{lea.id}" not in classmate.get("/search?q=etudiante").get_data(as_text=True)
    assert f"/people/{lea.id}" in classmate.get(f"/search?q={lea.last_name}").get_data(as_text=True)
    teacher = client_as(school["teacher"])
    assert f"/people/{lea.id}" in teacher.get("/search?q=etudiante").get_data(as_text=True)


def test_preview_as_a_recruiter_hides_what_only_connections_see(lea):
    page, reputation = services.preview_as(lea, PreviewAudience.RECRUITER)
    assert not page.shows("contact_email") and not page.shows("contact_phone")
    assert page.shows("headline")
    assert "headline" in reputation.fields_shown and "contact_email" not in reputation.fields_shown
    connection_page, _ = services.preview_as(lea, PreviewAudience.CONNECTION)
    assert connection_page.shows("contact_email") and not connection_page.shows("contact_phone")


def test_view_as_page(client_as, lea):
    page = client_as(lea).get("/profile/view-as/recruiter").get_data(as_text=True)
    assert "Étudiante en BTS CI" in page
    assert "06 11 22 33 44" not in page and "lea.pro@lycee.example" not in page


def test_pseudonym_shown_to_classmates_real_name_to_the_teacher(client_as, school, lea):
    services.update_profile(lea, lea, _changes(pseudonym="Léa B."))
    classmate = client_as(school["classmate"])
    assert "Léa B." in classmate.get(f"/people/{lea.id}").get_data(as_text=True)
    # a classmate cannot find her by the real name behind the pseudonym
    found = classmate.get(f"/search?q={lea.last_name}").get_data(as_text=True)
    assert f"/people/{lea.id}" not in found
    teacher_view = client_as(school["teacher"]).get(f"/people/{lea.id}").get_data(as_text=True)
    assert f"Léa B. ({lea.full_name})" in teacher_view


@pytest.mark.parametrize("city", ["12 rue de la République", "69003 Lyon", "3, allée des Pins"])
def test_a_street_address_is_refused_as_town(school, city):
    student = school["student"]
    with pytest.raises(ServiceError) as error:
        services.update_profile(student, student, _changes(city=city, headline="Nouveau titre"))
    assert error.value.field == "city"
    db.session.refresh(student.profile)
    assert student.profile.headline == ""  # nothing half-written


@pytest.mark.parametrize("city", ["Lyon 3e", "Saint-Étienne", "St-Malo"])
def test_towns_are_accepted(school, city):
    student = school["student"]
    services.update_profile(student, student, _changes(city=city))
    assert student.profile.city == city


def test_bad_contact_details_and_hashtags_are_explained(school):
    student = school["student"]
    for fields, field in (({"contact_email": "pas-un-mail"}, "contact_email"),
                          ({"contact_phone": "appelle-moi"}, "contact_phone"),
                          ({"hashtags": "#ok #pas-ok!"}, "hashtags"),
                          ({"visibility": {"city": "everyone"}}, "city_visibility")):
        with pytest.raises(ServiceError) as error:
            services.update_profile(student, student, _changes(**fields))
        assert error.value.field == field


def test_hashtags_are_normalised_and_search_text_follows(school):
    student = school["student"]
    services.update_profile(student, student, _changes(hashtags="#Économie, stage #stage"))
    assert [tag.tag for tag in student.profile.hashtags] == ["economie", "stage"]
    assert "#economie" in student.profile.search_text


def test_only_the_owner_edits(school):
    with pytest.raises(ServiceError):
        services.update_profile(school["classmate"], school["student"], _changes(headline="Pirate"))


def test_edit_page_saves_and_shows_field_errors(client_as, school):
    client = client_as(school["student"])
    response = client.post("/profile/edit", data={
        "headline": "Future assistante export", "city": "12 rue de Paris",
        "contact_phone_visibility": "connections",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "field__error" in page
    response = client.post("/profile/edit", data={
        "headline": "Future assistante export", "city": "Dijon", "skills": "Excel, Anglais",
        "contact_phone_visibility": "teacher",
    })
    assert response.status_code == 302
    db.session.refresh(school["student"].profile)
    profile = school["student"].profile
    assert profile.city == "Dijon"
    assert [skill.name for skill in profile.skills] == ["Excel", "Anglais"]
    assert profile.visibility == {"contact_phone": "teacher"}


def test_adding_and_removing_list_entries(client_as, school):
    student = school["student"]
    client = client_as(student)
    assert client.post("/profile/experiences/add", data={
        "experiences-role": "Vendeur", "experiences-organisation": "Marché de Lyon",
        "experiences-start_date": "2025-06", "experiences-end_date": "2025-08",
    }).status_code == 302
    assert client.post("/profile/links/add", data={
        "links-label": "Portfolio", "links-url": "javascript:alert(1)",
    }).status_code == 200  # refused: not a web address
    experience = db.session.scalar(sa.select(Experience).where(Experience.profile_id == student.id))
    assert experience.role == "Vendeur" and experience.end_date.month == 8
    experience_id = experience.id
    assert client.post(f"/profile/experiences/{experience_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Experience, experience_id) is None


def test_nobody_removes_someone_elses_entry(client_as, school):
    language = LanguageSkill(profile_id=school["classmate"].id, language="Italien")
    db.session.add(language)
    db.session.commit()
    response = client_as(school["student"]).post(f"/profile/languages/{language.id}/delete")
    assert response.status_code == 404
    assert db.session.get(LanguageSkill, language.id) is not None


def test_completeness_score_and_next_steps(school, lea):
    score = completeness(lea.profile)
    # headline 15 + city 5 + skills 10 + hashtags 5 = 35 (about is too short to count)
    assert score.score == 35
    assert score.next_steps[0].points == 15
    assert {step.key for step in score.next_steps} == {
        "photo", "about", "experiences", "education", "languages", "banner"
    }


def test_the_owner_and_teacher_see_the_score_classmates_do_not(client_as, school, lea):
    assert "35 %" in client_as(lea).get(f"/people/{lea.id}").get_data(as_text=True)
    assert "35 %" in client_as(school["teacher"]).get(f"/people/{lea.id}").get_data(as_text=True)
    assert "35 %" not in client_as(school["classmate"]).get(f"/people/{lea.id}").get_data(
        as_text=True)


def test_profile_page_runs_a_fixed_number_of_queries(client_as, school, count_queries):
    student = school["student"]
    viewer = client_as(school["classmate"])
    viewer.get(f"/people/{student.id}")  # the session gets its CSRF token (not kept)
    viewer.get(f"/people/{student.id}")  # kept: each reading below finds it out of date
    db.session.add(ProfileSkill(profile_id=student.id, name="Anglais", position=99))
    db.session.commit()
    with count_queries() as few:
        viewer.get(f"/people/{student.id}")
    for number in range(12):
        db.session.add(ProfileSkill(profile_id=student.id, name=f"Compétence {number}", position=number))
        db.session.add(Experience(profile_id=student.id, role=f"Poste {number}",
                                  organisation="Entreprise", position=number))
    db.session.commit()
    with count_queries() as many:
        page = viewer.get(f"/people/{student.id}").get_data(as_text=True)
    assert "Poste 11" in page
    assert many.count == few.count, many.statements
    # profile, lists, visibility, relationship, sections, the charter signature (students),
    # and keeping the page (sandbox/pagecache.py): the kept page found out of date, its
    # versions read before and after, the reader's row read again
    assert many.count <= 25, many.statements


def test_persona_recruiting_email_is_for_connections(client_as, school):
    persona = school["persona"]
    persona.profile.contact_email = "recrutement@entreprise.example"
    db.session.commit()
    student = client_as(school["student"])
    assert "recrutement@entreprise.example" not in student.get(
        f"/people/{persona.id}").get_data(as_text=True)
    connect(school["student"], persona)
    db.session.commit()
    assert "recrutement@entreprise.example" in student.get(
        f"/people/{persona.id}").get_data(as_text=True)


def test_changing_an_entry(client_as, school):
    student = school["student"]
    client = client_as(student)
    client.post("/profile/education/add", data={
        "education-school": "Lycée Ravel", "education-diploma": "Bac STMG",
        "education-start_year": "2022", "education-end_year": "2025",
    })
    entry = db.session.scalar(sa.select(Education).where(Education.profile_id == student.id))
    assert client.get(f"/profile/education/{entry.id}/edit").status_code == 200
    refused = client.post(f"/profile/education/{entry.id}/edit", data={
        "school": "Lycée Ravel", "diploma": "Bac STMG", "start_year": "2025", "end_year": "2022",
    })
    assert refused.status_code == 200 and "field__error" in refused.get_data(as_text=True)
    saved = client.post(f"/profile/education/{entry.id}/edit", data={
        "school": "Lycée Ravel", "diploma": "BTS Commerce international", "start_year": "2025",
        "end_year": "",  # a browser sends the emptied field
    })
    assert saved.status_code == 302
    db.session.expire_all()
    entry = db.session.get(Education, entry.id)
    assert (entry.diploma, entry.start_year, entry.end_year) == ("BTS Commerce international", 2025, None)


def test_personas_see_students_as_the_recruiter_preview_shows(school, lea):
    assert standing(school["persona"], lea) is Standing.NETWORK
    assert standing(school["persona"], school["admin"]) is Standing.STRANGER


def test_only_the_students_own_teachers_see_the_real_name(school, lea):
    services.update_profile(lea, lea, _changes(pseudonym="Léa B."))
    assert lea.name_for(school["teacher"]) == f"Léa B. ({lea.full_name})"
    assert lea.name_for(school["other_teacher"]) == "Léa B."
    assert lea.name_for(school["classmate"]) == "Léa B."


def test_a_disabled_account_has_no_profile_page(client_as, school):
    classmate = school["classmate"]
    classmate.is_disabled = True
    db.session.commit()
    assert client_as(school["student"]).get(f"/people/{classmate.id}").status_code == 404


def test_entries_keep_their_order_after_a_removal(school):
    student = school["student"]
    for language in ("Anglais", "Espagnol", "Italien"):
        services.add_item(student, ItemKind.LANGUAGES, {"language": language})
    services.remove_item(student, ItemKind.LANGUAGES, student.profile.languages[1].id)
    services.add_item(student, ItemKind.LANGUAGES, {"language": "Arabe"})
    db.session.expire_all()
    assert [item.language for item in student.profile.languages] == ["Anglais", "Italien", "Arabe"]
