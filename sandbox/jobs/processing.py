"""Personas process applications on their own, step by step, like a recruiter would.

Applying schedules the first step; each step is a scheduled action (`application_review`, with
its `step` in the payload) that schedules the next:

    review     sent → seen                     (the recruiter opens it)
    decide     seen → shortlisted | declined   (profile and letter, see jobs.assessment)
    interview  shortlisted → interview
    final      interview → offer | declined    (only the best get the job)

A decision (shortlisted, offer, declined) comes with a short message from the recruiter, as a
real one would e-mail (`jobs.recruiter_messages`).

Each step waits for the persona's reaction delay, compressed by the class's setting.
Decisions are drawn from `persona_random("application", id)`: reproducible.

While a person plays the recruiter (the persona is taken over, or a recruiter team of a live
exercise of the student's class plays the company), people decide: a step that falls due then
does nothing and waits (`triggers.wait_while_played`: pending again, looked at after the
persona's delay), so the applications nobody decided move on again once the exercise is over or
the persona handed back, however that happens. What people did meanwhile is respected:

- a step whose application was decided (shortlisted, declined…) or withdrawn meanwhile has
  nothing left to do: the pipeline is the people's from there;
- an application a person only opened ("seen", not decided) still needs a decision: its review
  step makes it, in place of the decide step the persona would have planned.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.companies.models import JobOffer
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.jobs.assessment import assess
from sandbox.jobs.models import Application, ApplicationStatus
from sandbox.jobs.pipeline import move_application
from sandbox.jobs.recruiter_messages import write_decision
from sandbox.personas.behaviour import BehaviourProfile, persona_random, reaction_delay
from sandbox.personas.models import Persona, PersonaKind, ScheduledAction
from sandbox.personas.scheduler import ActionObsolete, action_handler, cancel_keyed, schedule
from sandbox.personas.triggers import behaviour_of, wait_while_played

KIND = "application_review"
Status = ApplicationStatus

# The status an application must still have for each step to make sense, and the step after.
EXPECTED = {"review": Status.SENT, "decide": Status.SEEN, "interview": Status.SHORTLISTED,
            "final": Status.INTERVIEW}
FOLLOWING = {"review": "decide", "interview": "final"}
SHORTLIST_AT = 55  # out of 100; a lenient persona shortlists lower (see `thresholds`)
OFFER_AT = 72


def thresholds(profile: BehaviourProfile) -> tuple[int, int]:
    """The scores this persona shortlists and offers the job at.

    `shortlist_at` / `offer_at` in the behaviour file win; otherwise leniency (0–100) lowers the
    shortlist bar by up to ten points around the default.
    """
    shortlist = profile.extra.get("shortlist_at", SHORTLIST_AT + 5 - profile.leniency // 10)
    return int(shortlist), int(profile.extra.get("offer_at", OFFER_AT))


def reviewer_for(offer: JobOffer, addressed: User | None) -> User | None:
    """Who reads the application: the person it was addressed to, else the company's recruiter
    (else anyone of the company). None when nobody of the company is on the network."""
    if addressed is not None:
        return addressed
    people = db.session.scalars(
        sa.select(User).join(Persona, Persona.user_id == User.id)
        .where(Persona.company_id == offer.company_id, User.is_disabled.is_(False))
        .order_by(Persona.kind != PersonaKind.RECRUITER, User.id)
        .limit(1)
    )
    return people.first()


def plan_step(application: Application, reviewer: User, step: str) -> ScheduledAction | None:
    """Schedule `step` after the reviewer's reaction delay (in the caller's transaction; once
    per application and step)."""
    persona = reviewer.persona
    if persona is None:
        return None
    rng = persona_random("application", application.id, step)
    delay = reaction_delay(behaviour_of(persona), application.student.school_class, rng)
    return schedule(
        KIND, utcnow() + delay,
        payload={"application_id": application.id, "step": step},
        dedupe_key=f"{KIND}:{application.id}:{step}",
        persona_id=reviewer.id, student_id=application.student_id,
    )


def cancel_steps(application_id: int) -> None:
    """The application is gone (withdrawn): its pending steps are cancelled, by their keys."""
    cancel_keyed(f"{KIND}:{application_id}:{step}" for step in EXPECTED)


def _with_people(query: sa.Select) -> sa.Select:
    return query.options(joinedload(Application.offer).joinedload(JobOffer.company),
                         joinedload(Application.student).joinedload(User.school_class))


def _load(application_id: object) -> Application | None:
    if not isinstance(application_id, int):
        return None
    loaded = db.session.get(Application, application_id)  # preloaded: no query
    if loaded is not None and "offer" in loaded.__dict__ and "student" in loaded.__dict__:
        return loaded
    return db.session.scalar(_with_people(
        sa.select(Application).where(Application.id == application_id)))


def preload_steps(actions: list[ScheduledAction]) -> list[object]:
    """The batch's applications (offer, company, student, class) and reviewers (with their
    persona): two queries for the batch instead of three per step."""
    ids = {action.payload.get("application_id") for action in actions}
    ids = {one for one in ids if isinstance(one, int)}
    reviewer_ids = {action.persona_id for action in actions if action.persona_id}
    kept: list[object] = []
    if ids:
        kept += db.session.scalars(_with_people(
            sa.select(Application).where(Application.id.in_(ids)))).unique()
    if reviewer_ids:
        kept += db.session.scalars(sa.select(User).where(User.id.in_(reviewer_ids))
                                   .options(joinedload(User.persona))).unique()
    return kept


@action_handler(KIND, preload=preload_steps)
def review_application(action: ScheduledAction) -> None:
    """Carry out one step of a persona's review (no commit: the worker's transaction); while a
    person plays the recruiter, wait for the play to end."""
    step = action.payload.get("step")
    application = _load(action.payload.get("application_id"))
    if application is None or step not in EXPECTED:
        raise ActionObsolete
    if application.status is not EXPECTED[step]:
        if step != "review" or application.status is not Status.SEEN:
            raise ActionObsolete  # decided (or withdrawn) meanwhile: people took it from here
        step = "decide"  # a person opened it and decided nothing: the decision is left to make
    reviewer = db.session.get(User, action.persona_id) if action.persona_id else None
    persona = reviewer.persona if reviewer is not None else None
    if persona is None or persona.company_id != application.offer.company_id:
        raise ActionObsolete
    student = application.student
    wait_while_played(action, reviewer, student)  # a person plays the recruiter: people decide
    if step == "review":
        move_application(application, reviewer, Status.SEEN)
    elif step == "interview":
        move_application(application, reviewer, Status.INTERVIEW)
    else:
        shortlist_at, offer_at = thresholds(behaviour_of(persona))
        verdict = assess(application, reviewer, persona_random("application", application.id))
        reasons: list[str] = []
        if step == "decide" and verdict.score >= shortlist_at:
            status = Status.SHORTLISTED
            plan_step(application, reviewer, "interview")
        elif step == "final" and verdict.score >= offer_at:
            status = Status.OFFER
        else:
            status, reasons = Status.DECLINED, list(verdict.reasons) or ["other_candidate"]
        extra = {"reasons": reasons} if reasons else {}
        move_application(application, reviewer, status, score=verdict.score, **extra)
        write_decision(reviewer, student, application, status, reasons)
        return
    plan_step(application, reviewer, FOLLOWING[step])
