"""How the audit log words what was done while playing a persona, in the reader's language:
"Mme Martin, playing Claire Morvan, sent a message to Léa Petit."

The entries keep ids only (`persona_id`, `person_id`, the event's kind as `action`): the
sentence is written when the log is read, so each teacher reads it in their own language and
with the names they may see.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
from sandbox.extensions import db
from sandbox.jobs.labels import STATUS_LABELS
from sandbox.jobs.models import ApplicationStatus
from sandbox.moderation.models import AuditEntry

PLAYED_ACTIONS = frozenset({"played_as", "persona_taken_over", "persona_handed_back"})

ACTION_LABELS = {
    "played_as": _l("Played a professional"),
    "persona_taken_over": _l("Professional taken over"),
    "persona_handed_back": _l("Professional handed back"),
}

# What was done, by the kind of the activity event it recorded.
_DONE = {
    "message_sent": _l("%(real)s, playing %(persona)s, sent a message to %(person)s."),
    "invitation_accepted": _l("%(real)s, playing %(persona)s, accepted the invitation of "
                              "%(person)s."),
    "invitation_declined": _l("%(real)s, playing %(persona)s, declined the invitation of "
                              "%(person)s."),
    "invitation_ignored": _l("%(real)s, playing %(persona)s, ignored the invitation of "
                             "%(person)s."),
    "application_processed": _l("%(real)s, playing %(persona)s, moved the application of "
                                "%(person)s to “%(status)s”."),
    "offer_posted": _l("%(real)s, playing %(persona)s, published a job offer."),
    "post_created": _l("%(real)s, playing %(persona)s, published a post."),
}
_SOMETHING = _l("%(real)s, playing %(persona)s, acted in their name.")
_TAKEN_OVER = _l("%(real)s took over %(persona)s: no automatic reaction until handed back.")
_HANDED_BACK = _l("%(real)s handed %(persona)s back: their automatic reactions resume.")


def _people(entries: Iterable[AuditEntry]) -> dict[int, User]:
    ids: set[int] = set()
    for entry in entries:
        for key in ("persona_id", "person_id"):
            value = (entry.data or {}).get(key)
            if isinstance(value, int):
                ids.add(value)
    if not ids:
        return {}
    return {person.id: person for person in db.session.scalars(
        sa.select(User).where(User.id.in_(ids))
        .options(joinedload(User.school_class).selectinload(SchoolClass.teachers))
    ).unique()}


def played_sentences(entries: list[AuditEntry], reader: User) -> dict[int, str]:
    """The sentence of each entry about playing a persona, by entry id (one query at most)."""
    played = [entry for entry in entries if entry.action in PLAYED_ACTIONS]
    people = _people(played)
    someone = _("someone")
    sentences: dict[int, str] = {}
    for entry in played:
        data = entry.data or {}
        persona = people.get(data.get("persona_id") or 0)
        person = people.get(data.get("person_id") or 0)
        names = {
            "real": entry.actor.name_for(reader) if entry.actor else someone,
            "persona": persona.full_name if persona else someone,
            "person": person.name_for(reader) if person else someone,
        }
        if entry.action == "persona_taken_over":
            template = _TAKEN_OVER
        elif entry.action == "persona_handed_back":
            template = _HANDED_BACK
        else:
            template = _DONE.get(str(data.get("action")), _SOMETHING)
        try:
            status = str(STATUS_LABELS[ApplicationStatus(data.get("status"))])
        except ValueError:
            status = ""
        sentences[entry.id] = str(template) % {**names, "status": status}
    return sentences
