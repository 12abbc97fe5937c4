"""A class with a rich semester of activity, made through the app's own services."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import g
from PIL import Image

from sandbox.activity.services import record_event
from sandbox.charter import edits
from sandbox.charter.gate import CharterRefusal
from sandbox.charter.services import rules_of, update_charter
from sandbox.companies.models import JobKind, JobOffer
from sandbox.exercises.models import (
    Exercise,
    ExerciseMember,
    ExerciseObjective,
    ExercisePhase,
    ExerciseStatus,
    ExerciseTeam,
    ExerciseTemplate,
    ObjectiveKind,
    TeamRole,
)
from sandbox.extensions import db
from sandbox.grading.models import Grade, Measure, Rubric, RubricCriterion
from sandbox.groups.membership import join_group
from sandbox.groups.services import create_group
from sandbox.jobs.models import Application, ApplicationStatus, SavedOffer
from sandbox.media.images import ImageKind
from sandbox.messages.services import send_message, thread
from sandbox.moderation.actions import decide
from sandbox.moderation.models import ContentKind, ModerationCase
from sandbox.moderation.reports import report_content
from sandbox.network.follows import follow_hashtag, follow_person
from sandbox.network.invitations import answer_invitation, introduce, send_invitation
from sandbox.network.journal import add_outcome
from sandbox.network.lists import add_member, create_list
from sandbox.network.models import Invitation, InvitationStatus
from sandbox.network.recommendations import (
    accept_recommendation,
    endorse_skill,
    write_recommendation,
)
from sandbox.posts.comment_services import add_comment
from sandbox.posts.consent import answer_photo_tag
from sandbox.posts.like_services import like_comment, like_post
from sandbox.posts.services import create_post
from sandbox.profiles.services import (
    ItemKind,
    ProfileChanges,
    add_item,
    save_photo_checklist,
    set_picture,
    update_profile,
)
from sandbox.reviews.models import CompanyReview

PHONE = "Appelez-moi au 06 12 34 56 78 pour le stage."
SMS = "slt tout le monde, jsp si je viens demain."
SMS_NOTE = "slt, jsp si vous vous connaissez, mais vous cherchez un stage à Lyon."


def picture(colour: tuple[int, int, int], size: tuple[int, int] = (480, 480)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="JPEG")
    return output.getvalue()


def connect_through_invitation(sender: Any, recipient: Any, message: str = "") -> None:
    send_invitation(sender, recipient.id, message, send_anyway=True, charter_ack=True)
    invitation = db.session.scalars(sa.select(Invitation).where(
        Invitation.sender_id == sender.id, Invitation.recipient_id == recipient.id,
        Invitation.status == InvitationStatus.PENDING)).one()
    answer_invitation(recipient, invitation.id, InvitationStatus.ACCEPTED)


def _profile(lea: Any) -> None:
    update_profile(lea, lea, ProfileChanges(
        headline="Étudiante en BTS Commerce international", about="Je cherche un stage.",
        city="Lyon", contact_email="lea.martin@example.org", contact_phone="",
        skills="Export\nNégociation", hashtags="#i4emploi #export",
        visibility={"city": "connections", "about": "teacher"}, charter_ack=True))
    add_item(lea, ItemKind.EXPERIENCES, {"role": "Vendeuse", "organisation": "Boulangerie",
                                         "start_date": date(2025, 7, 1),
                                         "end_date": date(2025, 8, 31),
                                         "description": "Accueil des clients."})
    add_item(lea, ItemKind.EDUCATION, {"school": "Lycée Ampère", "diploma": "BTS CI",
                                       "start_year": 2025, "end_year": 2027})
    add_item(lea, ItemKind.LANGUAGES, {"language": "Anglais", "level": "B2"})
    add_item(lea, ItemKind.LINKS, {"label": "Portfolio", "url": "https://example.org/lea"})
    set_picture(lea, ImageKind.AVATAR, picture((200, 120, 40)))
    set_picture(lea, ImageKind.BANNER, picture((10, 90, 160), (1500, 500)))
    save_photo_checklist(lea, {"nightclub": False, "bed": False, "holiday": True})


def _charter_and_flag(teacher: Any, klass: Any, lea: Any) -> Any:
    """The teacher edits the charter (SMS language is now flagged); Léa's refused phone number
    and flagged post become findings and a case, which the teacher hides."""
    sms_rule = next(rule for rule in rules_of(klass.id) if rule.code == "no_sms_language")
    update_charter(teacher, klass.id, edits.CharterEdit(
        forbidden_words="nul", sms_allowlist="pdt",
        rules=[edits.RuleEdit(code=sms_rule.code, title_fr=sms_rule.title_fr,
                              title_en=sms_rule.title_en, text_fr=sms_rule.text_fr,
                              text_en=sms_rule.text_en, severity="flag")]))
    g.pop("charter_policies", None)  # cached for a request; this test is one long request
    try:
        create_post(lea, body=PHONE, audience="network")
    except CharterRefusal:
        pass
    flagged = create_post(lea, body=SMS, audience="network", charter_ack=True)
    case = db.session.scalars(sa.select(ModerationCase)).one()
    decide(teacher, case.id, "hide", reason="Langage SMS")
    return flagged


def _flagged_introduction(teacher: Any, hugo: Any, lea: Any, ines: Any) -> None:
    """Hugo introduces Léa to Inès again, in SMS language (flagged since the charter edit): the
    note becomes a moderation case about an introduction, which the teacher approves."""
    introduction = introduce(hugo, lea.id, ines.id, SMS_NOTE)
    case = db.session.scalars(sa.select(ModerationCase).where(
        ModerationCase.content_kind == ContentKind.INTRODUCTION,
        ModerationCase.content_id == introduction.id)).one()
    decide(teacher, case.id, "approve")


def _rubric(klass: Any, teacher: Any, students: list[Any]) -> None:
    """Grades (the grading services come with their own feature; the rows are the same)."""
    rubric = Rubric(class_id=klass.id, scale=20, criteria=[
        RubricCriterion(key="identity", measure=Measure.IDENTITY, label_fr="Identité",
                        label_en="Identity", weight=2, position=1),
        RubricCriterion(key="custom-1", measure=Measure.MANUAL, label_fr="Oral",
                        label_en="Oral", weight=1, position=2),
    ])
    db.session.add(rubric)
    db.session.flush()
    for number, student in enumerate(students):
        db.session.add(Grade(criterion_id=rubric.criteria[0].id, student_id=student.id,
                             score=12.5 + number, comment="Bon profil", graded_by_id=teacher.id))
    db.session.add(Grade(criterion_id=rubric.criteria[1].id, student_id=students[0].id,
                         score=None, comment="À l'oral la semaine prochaine"))
    db.session.commit()


LETTER = ("Madame, Monsieur, étudiante en BTS Commerce international, je souhaite rejoindre "
          "votre service export pour mon stage de deuxième année.")


def make_world(factories: Any) -> dict[str, Any]:
    """The part of the fictional school a class refers to: every server loads the same from its
    seed, so the tests make the same on both deployments."""
    company = factories.make_company(slug="transit-lyon")
    persona = factories.make_persona(username="marc.transit", company=company)
    seeded = JobOffer(slug="transit-lyon-stage-export", company_id=company.id,
                      title="Stage export", kind=JobKind.INTERNSHIP, city="Lyon",
                      description="Un stage au service export.")
    db.session.add(seeded)
    db.session.commit()
    return {"company": company, "persona": persona, "seeded_offer": seeded}


def _exercise(klass: Any, teacher: Any, company: Any, lea: Any, others: list[Any]) -> Exercise:
    exercise = Exercise(class_id=klass.id, title="Recrutement simulé",
                        template=ExerciseTemplate.RECRUITMENT, status=ExerciseStatus.RUNNING,
                        created_by_id=teacher.id, current_phase=1)
    exercise.phases = [ExercisePhase(position=0, name="Préparation", minutes=15),
                       ExercisePhase(position=1, name="Entretiens", minutes=30)]
    recruiters = ExerciseTeam(name="Transit Lyon", role=TeamRole.RECRUITER,
                              company_id=company.id)
    candidates = ExerciseTeam(name="Candidats", role=TeamRole.CANDIDATE)
    exercise.teams = [recruiters, candidates]
    exercise.objectives = [
        ExerciseObjective(role=TeamRole.CANDIDATE, kind=ObjectiveKind.APPLICATIONS, target=2,
                          position=0),
        ExerciseObjective(role=TeamRole.RECRUITER, kind=ObjectiveKind.SHORTLISTED, target=1,
                          position=1),
    ]
    db.session.add(exercise)
    db.session.flush()
    exercise.started_at = exercise.phase_started_at = exercise.created_at
    db.session.add_all([ExerciseMember(exercise_id=exercise.id, team_id=recruiters.id,
                                       user_id=lea.id)]
                       + [ExerciseMember(exercise_id=exercise.id, team_id=candidates.id,
                                         user_id=other.id) for other in others])
    record_event(teacher, "exercise_created", exercise, exercise_id=exercise.id,
                 template=exercise.template.value)
    return exercise


def _jobs(factories: Any, klass: Any, teacher: Any, lea: Any, hugo: Any,
          ines: Any) -> dict[str, Any]:
    """Offers, applications, saved offers, a review and an exercise (rows as the job, review and
    exercise services write them)."""
    world = make_world(factories)
    company, persona, seeded = world["company"], world["persona"], world["seeded_offer"]
    klass.persona_time_compression = 30
    in_class = JobOffer(slug="transit-lyon-commercial-alternance", company_id=company.id,
                        title="Commercial(e) en alternance", kind=JobKind.APPRENTICESHIP,
                        city="Villeurbanne", duration="2 ans", class_id=klass.id,
                        posted_by_id=persona.id, description="Prospection et suivi clients.")
    db.session.add(in_class)
    db.session.flush()
    lea_application = Application(offer_id=seeded.id, student_id=lea.id, cover_letter=LETTER,
                                  recruiter_email="marc@transit-lyon.example",
                                  status=ApplicationStatus.SHORTLISTED,
                                  decided_by_id=teacher.id)
    hugo_application = Application(offer_id=in_class.id, student_id=hugo.id,
                                   cover_letter=LETTER.replace("étudiante", "étudiant"))
    review = CompanyReview(company_id=company.id, author_id=hugo.id, recommend=True, pride=4,
                           growth=3, motivation=5, fun=4, management=2, environment=4,
                           liked="Une équipe accueillante.", advice="Soyez curieux.")
    db.session.add_all([lea_application, hugo_application, review,
                        SavedOffer(user_id=lea.id, offer_id=in_class.id),
                        SavedOffer(user_id=ines.id, offer_id=seeded.id)])
    db.session.flush()
    case = ModerationCase(class_id=klass.id, content_kind=ContentKind.APPLICATION,
                          content_id=lea_application.id, author_id=lea.id,
                          excerpt=LETTER[:40], findings=[], flagged=True)
    db.session.add(case)
    record_event(lea, "applied", lea_application, offer_id=seeded.id,
                 application_id=lea_application.id)
    record_event(lea, "offer_saved", in_class, offer_id=in_class.id)
    record_event(hugo, "review_written", review, company_id=company.id)
    exercise = _exercise(klass, teacher, company, lea, [hugo, ines])
    db.session.commit()
    return {**world, "class_offer": in_class, "exercise": exercise}


def build_semester(school: dict[str, Any], factories: Any, login: Any) -> dict[str, Any]:
    """A class with two teachers, three students and something of everything."""
    klass, teacher = school["class"], school["teacher"]
    lea, hugo = school["student"], school["classmate"]
    assistant = factories.make_teacher(username="prof.assistante")
    klass.teachers.append(assistant)
    db.session.commit()
    ines = factories.make_student(klass, username="ines.moreau", pseudonym="Nesa")
    login(lea)
    _profile(lea)

    connect_through_invitation(lea, hugo, "Bonjour Hugo, on travaille ensemble sur l'export ?")
    connect_through_invitation(hugo, ines)
    introduce(hugo, lea.id, ines.id, "Vous cherchez toutes les deux un stage à Lyon.")
    follow_person(lea, hugo.id)
    follow_hashtag(lea, "export")
    pro = create_list(lea, "Pro")
    add_member(lea, pro.id, hugo.id)
    add_outcome(lea, "advice", contact_id=hugo.id, occurred_on=date(2026, 10, 2),
                note="Conseils pour mon CV")
    skill = lea.profile.skills[0]
    endorse_skill(hugo, lea.id, skill.id)
    recommendation = write_recommendation(
        hugo, lea.id, "Léa est sérieuse et motivée : elle a préparé notre visite.",
        charter_ack=True)
    accept_recommendation(lea, recommendation.id)

    group = create_group(teacher, "Atelier réseau", "Le groupe de la classe.", "reseau, stage",
                         "open", class_id=klass.id, charter_ack=True)
    join_group(lea, group)
    join_group(hugo, group)
    photo = create_post(lea, body="Notre visite chez un transitaire #export avec @hugo.petit",
                        audience="network", image=picture((30, 160, 90)), shows_people=True,
                        photo_tags="@hugo.petit", charter_ack=True)
    answer_photo_tag(hugo, photo.id, True)
    in_group = create_post(hugo, body="Qui vient à l'atelier CV ?", audience="group",
                           group_id=group.id, charter_ack=True)
    create_post(lea, body="Pour mes contacts pro seulement.", audience="list",
                contact_list_id=pro.id, charter_ack=True)
    comment = add_comment(hugo, photo.id, "Super visite, merci !", charter_ack=True)
    add_comment(lea, photo.id, "Merci à toi !", parent_id=comment.id, charter_ack=True)
    add_comment(ines, photo.id, "Bravo à vous deux.", charter_ack=True)
    add_comment(lea, in_group.id, "Moi, avec plaisir.", charter_ack=True)
    like_post(hugo, photo.id)
    like_comment(lea, comment.id)
    create_post(hugo, body="Je partage la visite de Léa.", audience="network",
                shared_post_id=photo.id, charter_ack=True)

    send_message(lea, hugo.id, "Tu as le numéro du tuteur ?", charter_ack=True)
    send_message(hugo, lea.id, "Je te l'envoie demain.", charter_ack=True)
    thread(lea, hugo.id)  # Léa reads Hugo's answer

    flagged = _charter_and_flag(teacher, klass, lea)
    _flagged_introduction(teacher, hugo, lea, ines)
    report_content(hugo, "post", photo.id, "other", "Photo prise sans demander.")
    _rubric(klass, teacher, [lea, hugo, ines])
    jobs = _jobs(factories, klass, teacher, lea, hugo, ines)
    return {"photo": photo, "flagged": flagged, "group": group, "ines": ines,
            "assistant": assistant, **jobs}
