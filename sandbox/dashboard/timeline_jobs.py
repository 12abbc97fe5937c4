"""The timeline's sentences about job offers, applications, company reviews, gifts from
personas and exercises.

Every sentence of `SENTENCES` is filled from the same values, found from the event's subject and
data by `values`: %(title)s and %(company)s (the offer, or the company alone), %(name)s (the
student an application is from, or the contact a gift came from), %(status)s, %(outcome)s,
%(exercise)s and %(phase)s. A new kind about these things needs one line in `SENTENCES` (and,
should its subject be gone, one in `WITHOUT_SUBJECT`). The rows are those `student_subjects`
loaded for the whole page: no query here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from sandbox.activity.models import ActivityEvent
from sandbox.jobs.labels import STATUS_LABELS
from sandbox.network.journal import OUTCOME_LABELS

if TYPE_CHECKING:
    from sandbox.dashboard.student_subjects import Subjects

SENTENCES = {
    "applied": _l("Applied to the offer “%(title)s” of %(company)s"),
    "application_withdrawn": _l("Withdrew their application to the offer “%(title)s” of "
                                "%(company)s"),
    "offer_saved": _l("Saved the offer “%(title)s” of %(company)s"),
    "offer_unsaved": _l("Removed the offer “%(title)s” of %(company)s from their saved offers"),
    "application_processed": _l("Moved the application of %(name)s to “%(status)s”"),
    "offer_posted": _l("Posted the offer “%(title)s” for %(company)s"),
    "review_written": _l("Reviewed the company %(company)s"),
    "review_updated": _l("Updated their review of the company %(company)s"),
    "review_deleted": _l("Deleted their review of the company %(company)s"),
    "gift_received": _l("Received from %(name)s: %(outcome)s"),
    "exercise_created": _l("Created the exercise “%(exercise)s”"),
    "exercise_started": _l("Started the exercise “%(exercise)s”"),
    "exercise_phase_started": _l("Started the phase “%(phase)s” of the exercise "
                                 "“%(exercise)s”"),
    "exercise_paused": _l("Paused the exercise “%(exercise)s”"),
    "exercise_finished": _l("Ended the exercise “%(exercise)s”"),
}
# When what the sentence names was deleted since (an offer, a company, an exercise).
WITHOUT_SUBJECT = {
    "applied": _l("Applied to a job offer"),
    "application_withdrawn": _l("Withdrew an application"),
    "offer_saved": _l("Saved a job offer"),
    "offer_unsaved": _l("Removed a job offer from their saved offers"),
    "application_processed": _l("Moved an application to “%(status)s”"),
    "offer_posted": _l("Posted a job offer"),
    "review_written": _l("Reviewed a company"),
    "review_updated": _l("Updated a review of a company"),
    "review_deleted": _l("Deleted a review of a company"),
    "exercise_created": _l("Created an exercise"),
    "exercise_started": _l("Started an exercise"),
    "exercise_phase_started": _l("Started a new phase of an exercise"),
    "exercise_paused": _l("Paused an exercise"),
    "exercise_finished": _l("Ended an exercise"),
}
# What a sentence cannot do without: it reads as `WITHOUT_SUBJECT` when one of them is gone.
_NAMED = ("title", "company", "exercise")


def name_of(subjects: Subjects, user_id: Any) -> str:
    """A person as the viewer may read them; "a deleted account" when they are gone."""
    person = subjects.users.get(user_id) if isinstance(user_id, int) else None
    return person.name_for(subjects.viewer) if person else str(_l("a deleted account"))


def _url(endpoint: str, **values: Any) -> str | None:
    # A feature's pages may be switched off (its blueprint not registered): no link then.
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _id(value: Any) -> int:
    return value if type(value) is int else 0


def _subject(event: ActivityEvent, type_name: str) -> int:
    return _id(event.subject_id) if event.subject_type == type_name else 0


def values(event: ActivityEvent, data: dict, subjects: Subjects) -> dict[str, Any]:
    """Every value a sentence of this family may name (None for what is gone)."""
    offer = subjects.offers.get(_id(data.get("offer_id")) or _subject(event, "JobOffer"))
    company = offer.company if offer is not None else subjects.companies.get(
        _id(data.get("company_id")) or _subject(event, "Company"))
    # Loaded with the page's other subjects (`student_subjects`); none where a page has not.
    exercises = subjects.exercises
    exercise = exercises.get(_id(data.get("exercise_id")) or _subject(event, "Exercise"))
    phase = next((item.name for item in exercise.phases if item.position == data.get("phase")),
                 None) if exercise is not None else None
    status = data.get("status")
    return {
        "offer": offer, "title": offer.title if offer is not None else None,
        "company": company.name if company is not None else None, "company_row": company,
        "exercise": exercise.title if exercise is not None else None, "exercise_row": exercise,
        "phase": phase or "…",
        "name": name_of(subjects, data.get("student_id") or data.get("contact_id")),
        "status": str(STATUS_LABELS.get(status, status or "…")),
        "outcome": str(OUTCOME_LABELS.get(data.get("outcome"), data.get("outcome") or "…")),
    }


def _link(kind: str, data: dict, found: dict[str, Any], subjects: Subjects) -> str | None:
    if kind == "application_processed":
        return subjects.person_link(data.get("student_id"))
    if kind == "gift_received":
        return _url("recommendations.student_journal", student_id=subjects.student.id)
    if found["exercise_row"] is not None:
        return _url("exercises.show", exercise_id=found["exercise_row"].id)
    if found["company_row"] is not None:
        return _url("companies.show", slug=found["company_row"].slug)
    return None


def describe(event: ActivityEvent, data: dict, subjects: Subjects,
             text: Any) -> tuple[str, str | None]:
    """The event's sentence and where it links to (the company, the exercise…)."""
    found = values(event, data, subjects)
    if any(found[name] is None for name in _NAMED if f"%({name})s" in str(text)):
        text = WITHOUT_SUBJECT.get(event.kind, text)
    return str(text) % found, _link(event.kind, data, found, subjects)
