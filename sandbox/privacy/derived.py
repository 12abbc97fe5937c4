"""What the app computed from texts the erasure blanked (`scrub`), made again.

- A contact list's name is unique for its owner, whatever its case and accents: a blanked name
  that another of their lists already has gets a number ("•••• 2").
- A group's address (slug) was made from its name: a slug holding the student's name is made
  again from the blanked name, and the events and notifications about the group follow it.
- A profile's search text holds its headline and skills: it is computed again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.core.text import fold
from sandbox.extensions import db
from sandbox.groups.models import Group
from sandbox.groups.validation import unique_slug
from sandbox.network.models import ContactList
from sandbox.notifications.models import Notification
from sandbox.profiles.search_index import refresh_search_text

LIST_NAME_LENGTH = ContactList.__table__.c["name"].type.length  # type: ignore[attr-defined]
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


def refresh_search_texts(user_ids: set[int]) -> None:
    """Compute again the search text of these people's profiles (a few queries each)."""
    if not user_ids:
        return
    for user in db.session.scalars(sa.select(User).where(User.id.in_(user_ids))):
        if user.profile is not None:
            refresh_search_text(user)
