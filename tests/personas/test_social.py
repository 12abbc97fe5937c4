"""Personas' social life: they like and comment students' posts that concern them, and post.

Everything runs through the scheduled actions: a test publishes as a student, then carries out
what is due with `run_due(now=…)` in the future, and looks at what the persona did.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

import sandbox.personas.social_posts  # noqa: F401 - registers the persona_post handler
from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.classes.models import SchoolClass
from sandbox.companies.models import JobKind, JobOffer, Sector
from sandbox.core.time import utcnow
from sandbox.exercises.models import (
    Exercise,
    ExerciseStatus,
    ExerciseTeam,
    ExerciseTemplate,
    TeamRole,
)
from sandbox.extensions import db
from sandbox.groups.models import Group, GroupMembership
from sandbox.network.models import Connection
from sandbox.network.services import connect
from sandbox.notifications.models import Notification
from sandbox.personas.models import ActionStatus, Persona, PersonaKind, ScheduledAction
from sandbox.personas.scheduler import run_due, schedule
from sandbox.personas.social import persona_comment_text, schedule_reactions
from sandbox.personas.social_content import persona_content, read_persona_content
from sandbox.personas.social_posts import MIN_INTERVAL, ensure_persona_posts_scheduled
from sandbox.posts.models import Audience, Comment, Post, PostLike
from sandbox.posts.services import create_post
from sandbox.posts.visibility import can_view_post
from sandbox.profiles.models import ProfileHashtag
from sandbox.seeding.files import SeedError

ABOUT_AN_INTERNSHIP = ("Je cherche un #stage de huit semaines en #logistique à partir de "
                       "février, pour découvrir le transport international de marchandises.")
LATER = timedelta(minutes=15)  # every reaction's delay, at the default compression of 60


@pytest.fixture
def recruiter(school):
    """A logistics recruiter whose topics are internships and logistics."""
    persona = school["persona"]
    persona.persona.behaviour = {"topics": ["stage", "#Logistique"]}
    db.session.commit()
    return persona


def _actions(kind: str | None = None) -> list[ScheduledAction]:
    query = sa.select(ScheduledAction).order_by(ScheduledAction.id)
    if kind is not None:
        query = query.where(ScheduledAction.kind == kind)
    return list(db.session.scalars(query))


def _likes(post: Post) -> list[int]:
    return list(db.session.scalars(sa.select(PostLike.user_id).where(PostLike.post_id == post.id)))


def _comments(post: Post) -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(
        sa.select(Comment.author_id, Comment.body).where(Comment.post_id == post.id))]


def _told(user: User) -> list[tuple[str, int | None]]:
    return [tuple(row) for row in db.session.execute(
        sa.select(Notification.kind, Notification.actor_id)
        .where(Notification.user_id == user.id).order_by(Notification.id))]


def _post(author: User, body: str = ABOUT_AN_INTERNSHIP, audience: str = "network",
          **fields: object) -> Post:
    return create_post(author, body=body, audience=audience, **fields)  # type: ignore[arg-type]


# ---- reactions to students' posts --------------------------------------------------------------


def test_a_relevant_post_gets_a_like_then_a_comment_told_to_its_author(app, school, recruiter):
    app.config["PERSONA_RANDOM_SEED"] = 4  # a seed under which this post is also commented
    lea = school["student"]
    post = _post(lea)
    assert [(a.kind, a.persona_id, a.student_id) for a in _actions()] == [
        ("persona_like", recruiter.id, lea.id), ("persona_comment", recruiter.id, lea.id)]
    assert _likes(post) == []  # nothing happens before it is due

    run_due(now=utcnow() + LATER)

    assert _likes(post) == [recruiter.id]
    assert _comments(post) == [
        (recruiter.id, "Belle démarche\u00a0! Un stage réussi ouvre souvent plus de portes "
                       "qu’on ne l’imagine.")]
    assert _told(lea) == [("post_liked", recruiter.id), ("post_commented", recruiter.id)]
    assert {a.status for a in _actions()} == {ActionStatus.DONE}


def test_the_reactions_come_after_a_delay_the_class_compression_divides(school, recruiter):
    school["class"].persona_time_compression = 1  # real time: minutes, not seconds
    db.session.commit()
    post = _post(school["student"])
    like = _actions("persona_like")[0]
    assert like.run_at - utcnow() > timedelta(minutes=4)
    run_due(now=utcnow() + LATER / 60)
    assert _likes(post) == []


def test_an_irrelevant_post_gets_no_reaction(school, recruiter):
    post = _post(school["student"], "Je prépare une présentation sur la #cuisine italienne.")
    assert _actions() == []
    run_due(now=utcnow() + timedelta(days=1))
    assert _likes(post) == [] and _comments(post) == []


def test_a_connections_only_post_is_left_alone_unless_the_persona_is_a_connection(
        school, recruiter):
    lea = school["student"]
    hidden = _post(lea, audience="connections")
    assert _actions() == []
    connect(lea, recruiter)
    db.session.commit()
    seen = _post(lea, audience="connections")
    run_due(now=utcnow() + LATER)
    assert _likes(hidden) == [] and _likes(seen) == [recruiter.id]


def test_a_group_post_concerns_only_personas_of_the_group(school, recruiter):
    lea = school["student"]
    group = Group(slug="atelier", name="Atelier", class_id=school["class"].id)
    db.session.add(group)
    db.session.flush()
    db.session.add(GroupMembership(group_id=group.id, user_id=lea.id))
    db.session.commit()
    _post(lea, audience="group", group_id=group.id)
    assert _actions() == []
    db.session.add(GroupMembership(group_id=group.id, user_id=recruiter.id))
    db.session.commit()
    post = _post(lea, audience="group", group_id=group.id)
    run_due(now=utcnow() + LATER)
    assert _likes(post) == [recruiter.id]


def test_a_persona_that_can_no_longer_read_the_post_drops_its_reaction(school, recruiter):
    lea = school["student"]
    connect(lea, recruiter)
    db.session.commit()
    post = _post(lea, audience="connections")
    assert len(_actions("persona_like")) == 1
    db.session.execute(sa.delete(Connection))  # the connection ends before the like is due
    db.session.commit()
    run_due(now=utcnow() + LATER)
    assert _likes(post) == []
    assert {a.status for a in _actions()} == {ActionStatus.CANCELLED}


def test_reactions_cannot_be_scheduled_twice_for_one_post(school, recruiter):
    lea = school["student"]
    post = _post(lea)
    scheduled = [(a.kind, a.dedupe_key) for a in _actions()]
    assert scheduled == [("persona_like", f"persona_like:{recruiter.id}:{post.id}")]
    assert schedule_reactions(post, lea, []) == 0  # a second request, a retry…
    db.session.commit()
    assert [(a.kind, a.dedupe_key) for a in _actions()] == scheduled
    run_due(now=utcnow() + LATER)
    run_due(now=utcnow() + LATER * 2)
    assert _likes(post) == [recruiter.id]
    assert _told(lea) == [("post_liked", recruiter.id)]


def test_a_post_hidden_or_deleted_meanwhile_makes_the_reactions_obsolete(school, recruiter):
    post = _post(school["student"])
    post.hidden_at = utcnow()
    db.session.commit()
    run_due(now=utcnow() + LATER)
    assert _likes(post) == [] and _comments(post) == []
    assert {a.status for a in _actions()} == {ActionStatus.CANCELLED}


def test_a_post_naming_the_persona_s_company_is_answered_with_thanks(school, recruiter):
    company = recruiter.persona.company
    post = _post(school["student"], f"J'ai visité le site de {company.name} hier avec ma "
                                    "classe, et j'ai beaucoup appris sur les métiers de "
                                    "l'entrepôt.")
    run_due(now=utcnow() + LATER)
    assert _likes(post) == [recruiter.id]
    assert _comments(post) == [(recruiter.id, f"Merci pour ce message sur {company.name}\u00a0! "
                                              "N’hésitez pas à regarder nos offres en cours.")]


def test_an_english_post_is_answered_in_english(school, recruiter):
    post = _post(school["student"], "I am looking for an #internship in logistics this summer, "
                                    "and I would love to learn how the warehouse works.")
    text = persona_comment_text(recruiter, post, topic="internship")
    assert text in persona_content().comments["en"].topics["internship"]
    french = _post(school["student"])
    assert persona_comment_text(recruiter, french, topic="stage") in \
        persona_content().comments["fr"].topics["stage"]


def test_profile_hashtags_stand_in_for_topics_a_behaviour_does_not_give(school):
    persona = school["persona"]
    db.session.add(ProfileHashtag(profile_id=persona.id, tag="logistique"))
    db.session.commit()
    post = _post(school["student"])
    run_due(now=utcnow() + LATER)
    assert _likes(post) == [persona.id]


def test_a_persona_likes_no_more_than_its_weekly_share(school, recruiter):
    recruiter.persona.behaviour = {"topics": ["stage"], "likes_per_week": 1}
    db.session.commit()
    first = _post(school["student"])
    second = _post(school["classmate"])
    run_due(now=utcnow() + LATER)
    assert _likes(first) == [recruiter.id] and _likes(second) == []


def test_a_post_published_against_the_charters_advice_earns_no_reaction(school, recruiter):
    lea = school["student"]
    post = _post(lea, "slt, je cherche un #stage en #logistique stp, merci !", charter_ack=True)
    overridden = db.session.scalar(sa.select(ActivityEvent.data).where(
        ActivityEvent.user_id == lea.id, ActivityEvent.kind == "charter_override"))
    assert overridden["content_id"] == post.id  # published against the coach's advice
    assert _actions() == []


def test_a_played_persona_does_nothing_on_its_own(school, recruiter):
    lea = school["student"]
    recruiter.persona.autopilot = False
    db.session.commit()
    _post(lea)
    assert _actions() == []  # nothing scheduled while a person plays it
    recruiter.persona.autopilot = True
    db.session.commit()
    post = _post(lea)
    recruiter.persona.autopilot = False  # taken over after the post: the reaction is dropped
    db.session.commit()
    run_due(now=utcnow() + LATER)
    assert _likes(post) == [] and _comments(post) == []
    assert {a.status for a in _actions()} == {ActionStatus.CANCELLED}


def _recruitment_exercise(klass: SchoolClass, company_id: int) -> Exercise:
    """A running exercise in which a recruiter team of `klass` plays the company."""
    exercise = Exercise(class_id=klass.id, title="Recrutement",
                        template=ExerciseTemplate.RECRUITMENT, status=ExerciseStatus.RUNNING)
    exercise.teams.append(ExerciseTeam(name="Recruteurs", role=TeamRole.RECRUITER,
                                       company_id=company_id))
    db.session.add(exercise)
    return exercise


def test_a_company_played_by_a_recruiter_team_of_the_class_leaves_its_posts_alone(
        school, recruiter):
    _recruitment_exercise(school["class"], recruiter.persona.company_id)
    db.session.commit()
    _post(school["student"])
    assert _actions() == []
    _post(school["other_student"])  # another class: the persona is on its own there
    assert [a.student_id for a in _actions("persona_like")] == [school["other_student"].id]


# ---- the personas' own posts -------------------------------------------------------------------


def _persona_posts(persona: User) -> list[str]:
    return list(db.session.scalars(
        sa.select(Post.body).where(Post.author_id == persona.id).order_by(Post.id)))


def _pending_posts() -> list[ScheduledAction]:
    return [a for a in _actions("persona_post") if a.status is ActionStatus.PENDING]


def test_each_persona_gets_one_pending_post_however_often_it_is_ensured(school, recruiter,
                                                                       factories):
    other = factories.make_persona(username="paul.manager")
    assert ensure_persona_posts_scheduled() == 2
    assert ensure_persona_posts_scheduled() == 0
    db.session.commit()
    assert ensure_persona_posts_scheduled(now=utcnow() + timedelta(hours=3)) == 0
    assert sorted(a.persona_id for a in _pending_posts()) == sorted([recruiter.id, other.id])
    # A worker that starts does not make every persona post at once.
    assert all(a.run_at > utcnow() + timedelta(minutes=4) for a in _pending_posts())


def test_a_persona_posts_then_schedules_its_next_post(school, recruiter):
    ensure_persona_posts_scheduled()
    db.session.commit()
    first = _pending_posts()[0]
    assert first.run_at <= utcnow() + timedelta(hours=4)  # within one compressed interval
    run_due(now=utcnow() + timedelta(hours=4))
    bodies = _persona_posts(recruiter)
    assert len(bodies) == 1
    post = db.session.scalar(sa.select(Post).where(Post.author_id == recruiter.id))
    assert post.audience is Audience.NETWORK and can_view_post(school["other_student"], post)
    assert db.session.scalar(sa.select(ActivityEvent.kind).where(
        ActivityEvent.user_id == recruiter.id)) == "post_created"
    [following] = _pending_posts()
    assert following.id != first.id and following.run_at > utcnow() + timedelta(hours=4)


def test_the_most_compressed_class_sets_the_pace_of_persona_posts_within_a_floor(
        school, recruiter):
    school["other_class"].persona_time_compression = 720  # a one-hour lesson, in a hurry
    db.session.commit()
    ensure_persona_posts_scheduled()
    db.session.commit()
    [first] = _pending_posts()
    assert first.run_at <= utcnow() + MIN_INTERVAL  # not 2.8 hours, as at 60
    run_due(now=first.run_at)
    [following] = _pending_posts()
    assert following.run_at - first.run_at >= MIN_INTERVAL  # 7 days / 720 is under the floor


def test_a_persona_never_posts_the_same_text_twice_and_advertises_open_offers(school, recruiter):
    company = recruiter.persona.company
    db.session.add_all([
        JobOffer(slug="stage-quai", company_id=company.id, title="Stage assistant(e) de quai",
                 kind=JobKind.INTERNSHIP, city="Lyon"),
        JobOffer(slug="cdi-ferme", company_id=company.id, title="Chef d'équipe (pourvu)",
                 kind=JobKind.PERMANENT, city="Lyon", is_open=False),
        JobOffer(slug="classe", company_id=company.id, title="Offre d'une classe",
                 kind=JobKind.INTERNSHIP, city="Lyon", class_id=school["class"].id),
    ])
    db.session.commit()
    ensure_persona_posts_scheduled()
    db.session.commit()
    now = utcnow()
    for step in range(1, 25):  # more than the pool holds for this persona
        run_due(now=now + timedelta(hours=4 * step))
    bodies = _persona_posts(recruiter)
    assert len(bodies) == len(set(bodies)) > 10
    offers = [body for body in bodies if "Stage assistant(e) de quai" in body]
    assert offers and all("#stage" in body for body in offers)
    assert not any("pourvu" in body or "Offre d'une classe" in body for body in bodies)
    assert len(_pending_posts()) == 1  # it has said it all, and still comes back


@pytest.mark.parametrize("played_by", ["a person", "a recruiter team"])
def test_a_played_persona_posts_nothing_but_keeps_its_turn(school, recruiter, played_by):
    if played_by == "a person":
        recruiter.persona.autopilot = False
    else:
        _recruitment_exercise(school["other_class"], recruiter.persona.company_id)
    db.session.commit()
    ensure_persona_posts_scheduled()
    db.session.commit()
    run_due(now=utcnow() + timedelta(hours=4))
    assert _persona_posts(recruiter) == []
    assert len(_pending_posts()) == 1


def test_two_chains_of_posts_for_one_persona_merge(school, recruiter):
    ensure_persona_posts_scheduled()
    db.session.commit()
    # A second chain, as two workers starting at the same moment on another engine might.
    schedule("persona_post", utcnow(), dedupe_key="stray", persona_id=recruiter.id)
    db.session.commit()
    run_due(now=utcnow() + timedelta(hours=4))
    assert len(_pending_posts()) == 1


def test_a_persona_writing_in_english_posts_in_english(school, recruiter):
    recruiter.persona.behaviour = {"languages": ["en"]}
    db.session.commit()
    ensure_persona_posts_scheduled()
    db.session.commit()
    run_due(now=utcnow() + timedelta(hours=4))
    assert _persona_posts(recruiter) == [
        'In an interview, prepare two or three questions about the company. "What do you expect '
        'from an intern in the first month?" is an excellent one. #interview #internship']


# ---- the pool of texts --------------------------------------------------------------------------


def test_the_pool_covers_every_sector_and_kind_in_both_languages():
    content = read_persona_content()
    for language in ("fr", "en"):
        assert set(content.posts[language].news) == set(Sector)
        assert set(content.posts[language].tips) == set(PersonaKind)
        assert set(content.comments[language].kinds) == set(PersonaKind)
        assert set(content.offer_tags[language]) == set(JobKind)


def test_a_broken_pool_is_refused_with_where_the_problem_is(tmp_path: Path):
    (tmp_path / "persona_posts.yaml").write_text(
        "posts: {fr: {news: {}, tips: {}, offers: ['{nom} recrute']}}\n", encoding="utf-8")
    with pytest.raises(SeedError, match="persona_posts.yaml"):
        read_persona_content(tmp_path)


def test_the_seeded_personas_post_believably_from_the_real_seed(app, factories):
    from sandbox.seeding.files import read_network_seed
    from sandbox.seeding.loader import seed_network

    seed_network(read_network_seed())
    factories.make_class(None)  # compression 60, the default
    ensure_persona_posts_scheduled()
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Post))
    run_due(now=utcnow() + timedelta(hours=3))
    rows = db.session.execute(
        sa.select(Persona.company_id, Post.body).join(Persona, Persona.user_id == Post.author_id)
        .where(Post.id > 0)).all()
    written = db.session.scalar(sa.select(sa.func.count()).select_from(Post)) - before
    assert written > 20  # about one post per persona in three compressed hours, more for recruiters
    assert len(rows) == len(set(rows))  # no company says the same thing twice
    assert not any("{" in body for _, body in rows)  # every placeholder filled
    assert not [a for a in _actions() if a.status is ActionStatus.FAILED]
