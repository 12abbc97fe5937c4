"""What the app computed from texts the erasure blanked (`scrub`), made again.

- A contact list's name is unique for its owner, whatever its case and accents: a blanked name
  that another of their lists already has gets a number ("•••• 2").
- A group's address (slug) was made from its name: a slug holding the student's name is made
  again from the blanked name, and the events and notifications about the group follow it.
- A profile's search text holds its headline and skills: it is computed again.
- A team's name is unique in its exercise: a blanked name another team has gets a number.
- An offer's address (slug) holding the student's name is made again from its blanked title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.companies.models import JobOffer
from sandbox.core.text import fold
from sandbox.exercises.models import ExerciseTeam
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.groups.validation import unique_slug
from sandbox.network.models import ContactList
from sandbox.notifications.models import Notification
from sandbox.profiles.search_index import refresh_search_text

LIST_NAME_LENGTH = ContactList.__table__.c["name"].type.length  # type: ignore[attr-defined]
TEAM_NAME_LENGTH = ExerciseTeam.__table__.c["name"].type.length  # type: ignore[attr-defined]
OFFER_SLUG_LENGTH = JobOffer.__table__.c["slug"].type.length  # type: ignore[attr-defined]
MIN_SLUG = 4


def unique_list_names(lists: list[ContactList]) -> None:
    """Give each blanked list a name none of its owner's other lists has (no query if none).

    Runs before the blanked names are written: the database would refuse a duplicate.
    """
    if not lists:
        return
    renamed = {contact_list.id for contact_list in lists}
    taken: dict[int, set[str]] = {}
    for list_id, owner_id, name in db.session.execute(
        sa.select(ContactList.id, ContactList.owner_id, ContactList.name)
        .where(ContactList.owner_id.in_({contact_list.owner_id for contact_list in lists}))
    ):
        if list_id not in renamed:
            taken.setdefault(owner_id, set()).add(fold(name))
    for contact_list in sorted(lists, key=lambda row: row.id):
        names = taken.setdefault(contact_list.owner_id, set())
        name, number = contact_list.name, 1
        while fold(name) in names:
            number += 1
            suffix = f" {number}"
            name = contact_list.name[:LIST_NAME_LENGTH - len(suffix)] + suffix
        contact_list.name = name
        names.add(fold(name))


def unique_team_names(teams: list[ExerciseTeam]) -> None:
    """Give each blanked team a name no other team of its exercise has (no query if none).

    Runs before the blanked names are written, for the same reason as `unique_list_names`.
    """
    if not teams:
        return
    renamed = {team.id for team in teams}
    taken: dict[int, set[str]] = {}
    for team_id, exercise_id, name in db.session.execute(
        sa.select(ExerciseTeam.id, ExerciseTeam.exercise_id, ExerciseTeam.name)
        .where(ExerciseTeam.exercise_id.in_({team.exercise_id for team in teams}))
    ):
        if team_id not in renamed:
            taken.setdefault(exercise_id, set()).add(name)
    for team in sorted(teams, key=lambda row: row.id):
        names = taken.setdefault(team.exercise_id, set())
        name, number = team.name, 1
        while name in names:
            number += 1
            suffix = f" {number}"
            name = team.name[:TEAM_NAME_LENGTH - len(suffix)] + suffix
        team.name = name
        names.add(name)


def _slug_forms(names: Iterable[str]) -> set[str]:
    """The names as they read in a slug: "Élodie Étienne" -> "elodie-etienne"."""
    forms = {re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") for name in names}
    return {form for form in forms if len(form) >= MIN_SLUG}


def new_group_slugs(names: Iterable[str]) -> list[Group]:
    """Groups whose slug holds one of `names` get a new one from their (blanked) name; the
    events and notifications about them that kept the old slug get the new one."""
    forms = _slug_forms(names)
    if not forms:
        return []
    query = sa.select(Group).where(sa.or_(*(Group.slug.contains(form, autoescape=True)
                                            for form in forms)))
    words = [re.compile(rf"(?<![a-z0-9]){re.escape(form)}(?![a-z0-9])") for form in forms]
    old: dict[int, str] = {}
    groups = []
    for group in db.session.scalars(query.order_by(Group.id)).all():
        if any(word.search(group.slug) for word in words):
            old[group.id] = group.slug
            group.slug = unique_slug(group.name)  # its query writes the previous ones first
            groups.append(group)
    if not groups:
        return []
    slugs = {group.id: group.slug for group in groups}
    for model in (ActivityEvent, Notification):
        about = sa.select(model).where(model.subject_type == "Group",
                                       model.subject_id.in_(slugs))
        for row in db.session.scalars(about.execution_options(populate_existing=True)).all():
            data = row.data or {}
            if data.get("slug") == old[row.subject_id]:
                row.data = {**data, "slug": slugs[row.subject_id]}
    return groups


def _offer_slug(title: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:OFFER_SLUG_LENGTH - 8].strip("-")
    base = base if len(base) >= 2 else "offre"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def new_offer_slugs(names: Iterable[str]) -> list[JobOffer]:
    """Offers whose slug holds one of `names` get a new one from their (blanked) title."""
    forms = _slug_forms(names)
    if not forms:
        return []
    words = [re.compile(rf"(?<![a-z0-9]){re.escape(form)}(?![a-z0-9])") for form in forms]
    query = sa.select(JobOffer).where(sa.or_(*(JobOffer.slug.contains(form, autoescape=True)
                                               for form in forms)))
    offers = [offer for offer in db.session.scalars(query.order_by(JobOffer.id)).all()
              if any(word.search(offer.slug) for word in words)]
    if not offers:
        return []
    # Old slugs stay taken: one offer's old slug given to another would clash mid-flush.
    taken = set(db.session.scalars(sa.select(JobOffer.slug)))
    for offer in offers:
        offer.slug = _offer_slug(offer.title, taken)
        taken.add(offer.slug)
    return offers


def refresh_search_texts(user_ids: set[int]) -> None:
    """Compute again the search text of these people's profiles (a few queries each)."""
    if not user_ids:
        return
    for user in db.session.scalars(sa.select(User).where(User.id.in_(user_ids))):
        if user.profile is not None:
            refresh_search_text(user)
