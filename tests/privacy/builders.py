"""A student who used every feature, with a marker in everything they wrote or are called.

`busy_student(school)` fills Léa's account through the same services as the app (and a few
rows directly where a service would need a whole scenario): the erasure test then looks for the
marker in every table, and the archive test for each section.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.models import CharterFinding, FindingOutcome, Severity
from sandbox.companies.models import JobKind, JobOffer
from sandbox.exercises.models import (
    Exercise,
    ExerciseMember,
    ExercisePhase,
    ExerciseStatus,
    ExerciseTeam,
    ExerciseTemplate,
    TeamRole,
)
from sandbox.extensions import db
from sandbox.grading.models import Grade, Measure, Rubric, RubricCriterion
from sandbox.jobs.models import Application, ApplicationStatus, SavedOffer
from sandbox.groups.services import create_group
from sandbox.media.images import ImageKind
from sandbox.messages.services import send_message
from sandbox.moderation.actions import decide
from sandbox.moderation.audit import record_audit
from sandbox.moderation.models import ContentKind, ModerationCase
from sandbox.moderation.reports import report_content
from sandbox.network.follows import follow_hashtag, follow_person
from sandbox.network.invitations import introduce, send_invitation
from sandbox.network.journal import add_outcome
from sandbox.network.lists import add_member, create_list
from sandbox.network.models import Endorsement, Recommendation
from sandbox.network.services import connect
from sandbox.personas.models import ScheduledAction
from sandbox.posts.comment_services import add_comment
from sandbox.posts.like_services import like_comment, like_post
from sandbox.posts.services import create_post
from sandbox.profiles.models import (
    Education,
    Experience,
    LanguageSkill,
    ProfileHashtag,
    ProfileLink,
    ProfileSkill,
    Visibility,
)
from sandbox.profiles.services import set_picture
from sandbox.reviews.models import CompanyReview

MARKER = "Zorglub"


def picture(colour: tuple[int, int, int], size: tuple[int, int] = (700, 300)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, "PNG")
    return output.getvalue()


def _profile(lea: User) -> None:
    profile = lea.profile
    profile.headline = f"Future commerciale {MARKER}"
    profile.about = f"Je suis {MARKER} et j'aime l'export."
    profile.city = f"{MARKER}ville"
    profile.contact_email = f"lea.{MARKER.lower()}@example.org"
    profile.contact_phone = "0612345678"
    profile.photo_checklist = {"bed": False}
    profile.skills.append(ProfileSkill(name=f"Négociation {MARKER}", position=0))
    profile.experiences.append(Experience(role=f"Vendeuse {MARKER}",
                                          organisation=f"{MARKER} SARL", position=0))
    profile.education.append(Education(school=f"Lycée {MARKER}", diploma="BTS CI", position=0))
    profile.languages.append(LanguageSkill(language=f"{MARKER}ien", level="B2", position=0))
    profile.links.append(ProfileLink(label=MARKER, url=f"https://{MARKER.lower()}.example.org",
                                     position=0))
    profile.hashtags.append(ProfileHashtag(tag=MARKER.lower()))
    db.session.commit()
    set_picture(lea, ImageKind.AVATAR, picture((10, 120, 200), (400, 400)))
    set_picture(lea, ImageKind.BANNER, picture((200, 120, 10), (1500, 500)))


def _network(school: dict[str, Any]) -> dict[str, Any]:
    lea, hugo, persona = school["student"], school["classmate"], school["persona"]
    connect(lea, hugo)
    db.session.commit()
    send_invitation(lea, persona.id, f"Bonjour, je suis {MARKER}, votre métier m'intéresse.",
                    send_anyway=True, charter_ack=True)
    follow_person(lea, persona.id)
    follow_person(hugo, lea.id)
    follow_hashtag(lea, "#export")
    lea_list = create_list(lea, f"Pro {MARKER}")
    add_member(lea, lea_list.id, hugo.id)
    hugo_list = create_list(hugo, "Classe")
    add_member(hugo, hugo_list.id, lea.id)
    skill = lea.profile.skills[0]
    db.session.add_all([
        Recommendation(author_id=lea.id, recipient_id=hugo.id,
                       text=f"Hugo est sérieux, signé {MARKER}."),
        Recommendation(author_id=hugo.id, recipient_id=lea.id,
                       text="Léa est une excellente camarade de classe."),
        Endorsement(endorser_id=hugo.id, skill_id=skill.id),
    ])
    db.session.commit()
    connect(hugo, persona)
    db.session.commit()
    introduce(hugo, lea.id, persona.id, f"Je vous présente {MARKER}, motivée.")
    outcome = add_outcome(lea, "advice", contact_id=hugo.id, note=f"Conseil reçu, {MARKER}")
    add_outcome(hugo, "support", contact_id=lea.id, note="Elle m'a aidé")
    school["class"].students_create_groups = True
    db.session.commit()
    group = create_group(lea, f"Groupe {MARKER}", f"Le groupe de {MARKER}", "export", "open",
                         charter_ack=True)
    return {"outcome": outcome, "group": group, "skill": skill}


def _content(school: dict[str, Any]) -> dict[str, Any]:
    lea, hugo, teacher = school["student"], school["classmate"], school["teacher"]
    lea_post = create_post(lea, body=f"Mon stage chez {MARKER} #export avec @hugo.petit",
                           audience="network", image=picture((30, 160, 60)), charter_ack=True)
    hugo_post = create_post(hugo, body=f"Bravo @{lea.mention_handle} pour ton stage !",
                            audience="network", charter_ack=True)
    hugo_photo = create_post(hugo, body="Photo de classe", audience="network",
                             image=picture((90, 90, 200)), shows_people=True,
                             photo_tags=f"@{lea.mention_handle}", charter_ack=True)
    share = create_post(hugo, body="À lire", audience="network", shared_post_id=lea_post.id,
                        charter_ack=True)
    hugo_on_lea = add_comment(hugo, lea_post.id, "Super stage !", charter_ack=True)
    lea_comment = add_comment(lea, hugo_post.id, f"Merci, signé {MARKER}", charter_ack=True)
    hugo_reply = add_comment(hugo, hugo_post.id, "De rien !", parent_id=lea_comment.id,
                             charter_ack=True)
    hugo_top = add_comment(hugo, hugo_post.id, "Et bonne chance à tous.", charter_ack=True)
    like_post(hugo, lea_post.id)
    like_post(lea, hugo_post.id)
    like_comment(lea, hugo_top.id)
    to_hugo = send_message(lea, hugo.id, f"Salut Hugo, c'est {MARKER}", charter_ack=True)
    from_hugo = send_message(hugo, lea.id, "Salut Léa, ça va ?", charter_ack=True)
    report = report_content(hugo, "post", lea_post.id, "spam")
    decide(teacher, report.case_id, "warn", reason=f"Attention {MARKER}, pas de publicité.")
    report_content(lea, "post", hugo_post.id, "other", details=f"Signalé par {MARKER}")
    return {"lea_post": lea_post, "hugo_post": hugo_post, "hugo_photo": hugo_photo,
            "share": share, "hugo_on_lea": hugo_on_lea, "lea_comment": lea_comment,
            "hugo_reply": hugo_reply, "hugo_top": hugo_top, "to_hugo": to_hugo,
            "from_hugo": from_hugo}


def _grading(school: dict[str, Any]) -> None:
    lea, teacher, klass = school["student"], school["teacher"], school["class"]
    rubric = Rubric(class_id=klass.id)
    criterion = RubricCriterion(key="identity", measure=Measure.IDENTITY, label_fr="Identité",
                                label_en="Identity")
    rubric.criteria.append(criterion)
    db.session.add(rubric)
    db.session.flush()
    db.session.add(Grade(criterion_id=criterion.id, student_id=lea.id, score=15.5,
                         comment=f"Bon profil, {MARKER}", graded_by_id=teacher.id))
    db.session.add(CharterFinding(
        user_id=lea.id, class_id=klass.id, content_kind="post", category="sms",
        severity=Severity.COACH, outcome=FindingOutcome.FIXED, excerpt=f"slt {MARKER}",
        context=f"slt {MARKER} ça va", context_start=0, context_end=11,
    ))
    db.session.commit()


def _review(company_id: int, author: User, liked: str) -> CompanyReview:
    return CompanyReview(company_id=company_id, author_id=author.id, recommend=True, pride=4,
                         growth=5, motivation=4, fun=3, management=4, environment=5,
                         liked=liked, advice="Préparez bien l'entretien.")


def _jobs(school: dict[str, Any]) -> dict[str, Any]:
    """Offers, applications, reviews, an exercise and a persona's plans, all about Léa.

    Rows are written directly: these features' services come with their own helpers.
    """
    lea, hugo, persona, klass = (school["student"], school["classmate"], school["persona"],
                                 school["class"])
    company = persona.persona.company
    seeded = JobOffer(slug="stage-export-lyon", company_id=company.id, title="Stage export",
                      kind=JobKind.INTERNSHIP, city="Lyon", description="Un stage à l'export.")
    in_class = JobOffer(slug=f"stage-tutore-par-lea-{MARKER.lower()}", company_id=company.id,
                        title=f"Stage tutoré par Lea {MARKER}", kind=JobKind.INTERNSHIP,
                        city="Lyon", description=f"Vous travaillerez avec Lea {MARKER}.",
                        class_id=klass.id, posted_by_id=persona.id)
    db.session.add_all([seeded, in_class])
    db.session.flush()
    lea_application = Application(offer_id=seeded.id, student_id=lea.id,
                                  cover_letter=f"Madame, je suis {MARKER} et ce stage me plaît.",
                                  recruiter_email="claire@example.org",
                                  status=ApplicationStatus.SHORTLISTED)
    # Léa played the company's recruiter and moved Hugo's application.
    hugo_application = Application(offer_id=in_class.id, student_id=hugo.id,
                                   cover_letter=f"Lea {MARKER} m'a parlé de cette offre.",
                                   status=ApplicationStatus.INTERVIEW, decided_by_id=lea.id)
    exercise = Exercise(class_id=klass.id, title=f"Recrutement avec Lea {MARKER}",
                        template=ExerciseTemplate.RECRUITMENT, status=ExerciseStatus.RUNNING,
                        created_by_id=school["teacher"].id)
    exercise.phases.append(ExercisePhase(position=0, name=f"Entretiens de Lea {MARKER}",
                                         minutes=20))
    recruiters = ExerciseTeam(name="Recruteurs", role=TeamRole.RECRUITER, company_id=company.id)
    candidates = ExerciseTeam(name=f"Équipe Lea {MARKER}", role=TeamRole.CANDIDATE)
    exercise.teams.extend([recruiters, candidates])
    persona.persona.autopilot, persona.persona.taken_over_by_id = False, lea.id
    lea_review = _review(company.id, lea, f"L'équipe, signé {MARKER}")
    hugo_review = _review(company.id, hugo, f"Stage fait avec Lea {MARKER}, super.")
    db.session.add_all([lea_application, hugo_application, exercise, lea_review, hugo_review,
                        SavedOffer(user_id=lea.id, offer_id=seeded.id)])
    db.session.flush()
    db.session.add_all([
        ExerciseMember(exercise_id=exercise.id, user_id=lea.id, team_id=recruiters.id),
        ExerciseMember(exercise_id=exercise.id, user_id=hugo.id, team_id=candidates.id),
        ScheduledAction(kind="application_review", run_at=lea_application.created_at,
                        payload={"application_id": lea_application.id,
                                 "note": f"Répondre à {MARKER}"},
                        dedupe_key=f"application:{lea_application.id}",
                        persona_id=persona.id, student_id=lea.id),
        ScheduledAction(kind="persona_post", run_at=lea_application.created_at,
                        payload={"text": f"Bravo à Lea {MARKER} et à Hugo !"},
                        persona_id=persona.id),
        ModerationCase(class_id=klass.id, content_kind=ContentKind.APPLICATION,
                       content_id=lea_application.id, author_id=lea.id,
                       excerpt=f"je suis {MARKER}", findings=[], flagged=True),
    ])
    # Her teacher, playing the recruiter, shortlisted her: the audit log names the real person.
    record_audit(school["teacher"], "played_as", kind=ContentKind.APPLICATION,
                 content_id=lea_application.id, class_id=klass.id, persona_id=persona.id,
                 person_id=lea.id, application_id=lea_application.id, offer_id=seeded.id,
                 status="shortlisted")
    record_event(lea, "applied", lea_application, offer_id=seeded.id,
                 application_id=lea_application.id)
    record_event(lea, "offer_saved", seeded, offer_id=seeded.id)
    record_event(lea, "review_written", lea_review, company_id=company.id)
    record_event(persona, "application_processed", lea_application,
                 application_id=lea_application.id, offer_id=seeded.id, student_id=lea.id,
                 status="shortlisted")
    record_event(persona, "application_processed", hugo_application,
                 application_id=hugo_application.id, offer_id=in_class.id, student_id=hugo.id,
                 status="interview", played_by=lea.id)
    db.session.commit()
    return {"seeded_offer": seeded, "class_offer": in_class, "exercise": exercise,
            "lea_application": lea_application, "hugo_application": hugo_application,
            "lea_review": lea_review, "hugo_review": hugo_review, "recruiters": recruiters,
            "candidates": candidates}


def busy_student(school: dict[str, Any]) -> dict[str, Any]:
    """Léa, renamed with the marker, after a term of everything; the objects made, by name."""
    lea = school["student"]
    lea.first_name, lea.last_name, lea.pseudonym = "Léa", f"Martin-{MARKER}", f"Lea {MARKER}"
    db.session.commit()
    hugo_profile = school["classmate"].profile
    hugo_profile.contact_phone = "0699999999"
    hugo_profile.visibility = {"contact_phone": Visibility.TEACHER.value}
    db.session.commit()
    _profile(lea)
    made = _network(school)
    made.update(_content(school))
    _grading(school)
    made.update(_jobs(school))
    return made
