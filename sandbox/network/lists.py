"""Contact lists: someone sorts their own connections ("pro", "personal"); posts can target one.

A list belongs to its owner alone: anyone else's list does not exist for them (NotFound). Only
connections can be members, and a contact who is no longer a connection leaves every list.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.classes.models import SchoolClass
from sandbox.core.errors import NotFound, ServiceError
from sandbox.core.text import fold
from sandbox.core.validation import clean_line
from sandbox.extensions import db
from sandbox.network.models import Connection, ContactList, ContactListMember
from sandbox.network.services import connected_ids

MAX_LISTS = 20
NAME_MAX_LENGTH = 60
MAX_ID = 2**31 - 1  # a typed id beyond would overflow the database's integers

# ---- reading -------------------------------------------------------------------------------


def lists_of(owner: User) -> list[ContactList]:
    """`owner`'s lists, by name."""
    return list(db.session.scalars(
        sa.select(ContactList)
        .where(ContactList.owner_id == owner.id)
        .order_by(sa.func.lower(ContactList.name), ContactList.id)
    ))


def member_ids(list_id: int) -> set[int]:
    """The ids of a list's members. Callers check first that the list is the viewer's own."""
    return set(db.session.scalars(
        sa.select(ContactListMember.contact_id).where(ContactListMember.list_id == list_id)
    ))


def own_list(owner: User, list_id: int) -> ContactList:
    """One of `owner`'s lists; anybody else's is reported as not existing."""
    contact_list = db.session.get(ContactList, list_id)
    if contact_list is None or contact_list.owner_id != owner.id:
        raise NotFound(_l("This list does not exist."))
    return contact_list


@dataclass(frozen=True)
class ListEntry:
    contact_list: ContactList
    members: list[User]
    addable: list[User]  # connections not in the list yet


@dataclass(frozen=True)
class ListsPage:
    lists: list[ListEntry]
    has_connections: bool
    can_create: bool


def lists_page(owner: User) -> ListsPage:
    """Every list with its members and the connections one can add: a fixed number of queries."""
    lists = lists_of(owner)
    owned = (
        sa.select(ContactListMember.list_id, ContactListMember.contact_id)
        .join(ContactList, ContactList.id == ContactListMember.list_id)
        .where(ContactList.owner_id == owner.id)
    )
    memberships = db.session.execute(owned).all()
    contact_ids = sa.select(Connection.contact_id).where(Connection.user_id == owner.id)
    # Members and connections at once; a member is normally a connection too.
    people = db.session.scalars(
        sa.select(User)
        .where(sa.or_(
            User.id.in_(contact_ids),
            User.id.in_(owned.with_only_columns(ContactListMember.contact_id)),
        ))
        # What `name_for` reads, so that the page does not query once per person.
        .options(joinedload(User.school_class).selectinload(SchoolClass.teachers))
    ).all()
    people = sorted(people, key=lambda person: (fold(person.name_for(owner)), person.id))
    connections = set(db.session.scalars(contact_ids))
    members: dict[int, set[int]] = {contact_list.id: set() for contact_list in lists}
    for list_id, contact_id in memberships:
        members[list_id].add(contact_id)
    entries = [
        ListEntry(
            contact_list=contact_list,
            members=[person for person in people if person.id in members[contact_list.id]],
            addable=[
                person for person in people
                if person.id in connections and person.id not in members[contact_list.id]
            ],
        )
        for contact_list in lists
    ]
    return ListsPage(
        lists=entries, has_connections=bool(connections), can_create=len(lists) < MAX_LISTS
    )


# ---- writing -------------------------------------------------------------------------------


def _checked_name(name: str | None, existing: list[ContactList]) -> str:
    """A tidy name that none of `existing` has already, whatever its case and accents."""
    name = clean_line(name, "name", max_length=NAME_MAX_LENGTH)
    if fold(name) in {fold(contact_list.name) for contact_list in existing}:
        raise ServiceError(
            _l("You already have a list called “%(name)s”.", name=name), field="name"
        )
    return name


def _write_name(name: str) -> None:
    """Flush the new name; two requests at once may both pass the check: the database decides."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ServiceError(
            _l("You already have a list called “%(name)s”.", name=name), field="name"
        ) from error


def create_list(owner: User, name: str | None) -> ContactList:
    existing = lists_of(owner)
    name = _checked_name(name, existing)
    if len(existing) >= MAX_LISTS:
        raise ServiceError(_l("%(count)d lists at most.", count=MAX_LISTS), field="name")
    contact_list = ContactList(owner_id=owner.id, name=name)
    db.session.add(contact_list)
    _write_name(name)
    record_event(owner, "contact_list_created", contact_list, name=name)
    db.session.commit()
    return contact_list


def rename_list(owner: User, list_id: int, name: str | None) -> ContactList:
    contact_list = own_list(owner, list_id)
    others = [other for other in lists_of(owner) if other.id != contact_list.id]
    contact_list.name = _checked_name(name, others)
    _write_name(contact_list.name)
    db.session.commit()
    return contact_list


def delete_list(owner: User, list_id: int) -> str:
    """Delete a list (never the connections in it); returns its name."""
    contact_list = own_list(owner, list_id)
    name = contact_list.name
    db.session.execute(sa.delete(ContactListMember).where(ContactListMember.list_id == list_id))
    db.session.delete(contact_list)
    record_event(owner, "contact_list_deleted", contact_list, name=name)
    db.session.commit()
    return name


def add_member(owner: User, list_id: int, contact_id: int | None) -> User:
    """Put one of `owner`'s connections in one of their lists; adding twice changes nothing."""
    contact_list = own_list(owner, list_id)
    if contact_id is None or not 0 < contact_id <= MAX_ID:
        raise ServiceError(_l("Choose one of your connections."), field="contact_id")
    if contact_id not in connected_ids(owner, [contact_id]):
        raise ServiceError(_l("Choose one of your connections."), field="contact_id")
    contact = db.session.get(User, contact_id)
    if contact is None:  # deleted meanwhile
        raise ServiceError(_l("Choose one of your connections."), field="contact_id")
    if db.session.get(ContactListMember, (list_id, contact_id)) is None:
        db.session.add(ContactListMember(list_id=list_id, contact_id=contact_id))
        record_event(owner, "contact_added_to_list", contact_list, contact_id=contact_id)
        try:
            db.session.commit()
        except IntegrityError:  # the same contact added by a simultaneous request
            db.session.rollback()
    return contact


def remove_member(owner: User, list_id: int, contact_id: int) -> None:
    """Take someone out of a list (they stay a connection); not an error if they were not in it."""
    own_list(owner, list_id)
    db.session.execute(
        sa.delete(ContactListMember).where(
            ContactListMember.list_id == list_id, ContactListMember.contact_id == contact_id
        )
    )
    db.session.commit()


def forget_contact(owner_id: int, contact_id: int) -> None:
    """Take `contact_id` out of all the lists of `owner_id` (a connection ended). No commit."""
    owned = sa.select(ContactList.id).where(ContactList.owner_id == owner_id)
    db.session.execute(
        sa.delete(ContactListMember).where(
            ContactListMember.contact_id == contact_id, ContactListMember.list_id.in_(owned)
        )
    )
