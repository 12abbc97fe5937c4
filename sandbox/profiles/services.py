"""Profile rules: reading a profile as someone, editing one's own, pictures, previews."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.gate import Screening, changed_texts, screen_fields, settle
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.text import fold
from sandbox.core.validation import clean_line, has_control_characters
from sandbox.extensions import db
from sandbox.media.images import ImageKind, delete_image, process_image, store_image
from sandbox.moderation.models import ContentKind
from sandbox.personas.models import Persona
from sandbox.posts.models import Audience, Post
from sandbox.profiles.completeness import Completeness, completeness
from sandbox.profiles.models import (
    FIELD_VISIBILITY_DEFAULTS,
    Education,
    Experience,
    LanguageSkill,
    Profile,
    ProfileHashtag,
    ProfileLink,
    ProfileSkill,
    Visibility,
)
from sandbox.profiles.search_index import refresh_search_text
from sandbox.profiles.visibility import Standing, standing, visible_fields

OPEN_TO_WORK = "i4emploi"
MAX_SKILLS = 30
MAX_HASHTAGS = 15
MAX_ITEMS = 20
HASHTAG_PATTERN = re.compile(r"^[a-z0-9_]{2,60}$")
# A town, not an address: no street word, no postcode, no house number ("Lyon 3e" is fine).
_STREET_WORDS = re.compile(
    r"\b(rue|avenue|av|bd|boulevard|chemin|impasse|allee|quai|street|road|lane|bis|ter)\b"
)
_ADDRESS_NUMBERS = re.compile(r"\d{3,}|^\s*\d+\s*,|^\s*\d+\s+\D")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,24}$")
PHOTO_MISTAKES = ("nightclub", "bed", "holiday", "couple_or_pet", "hostile_face")


def _owner_query() -> sa.Select[tuple[User]]:
    """A user with everything a profile page shows, in a fixed number of queries."""
    return sa.select(User).options(
        joinedload(User.profile).options(
            selectinload(Profile.skills),
            selectinload(Profile.experiences),
            selectinload(Profile.education),
            selectinload(Profile.languages),
            selectinload(Profile.links),
            selectinload(Profile.hashtags),
        ),
        joinedload(User.school_class),
        joinedload(User.persona).joinedload(Persona.company),
    )


def find_owner(user_id: int) -> User | None:
    return db.session.scalar(_owner_query().where(User.id == user_id))


@dataclass(frozen=True)
class ProfilePage:
    owner: User
    standing: Standing
    fields: frozenset[str]
    display_name: str
    open_to_work: bool
    completeness: Completeness | None  # for the owner and their teachers only

    def shows(self, field: str) -> bool:
        return field in self.fields


def _page(owner: User, seen_at: Standing, display_name: str) -> ProfilePage:
    fields = visible_fields(owner.profile, seen_at)
    tags = {tag.tag for tag in owner.profile.hashtags}
    return ProfilePage(
        owner=owner,
        standing=seen_at,
        fields=fields,
        display_name=display_name,
        open_to_work="hashtags" in fields and OPEN_TO_WORK in tags,
        completeness=completeness(owner.profile) if seen_at >= Standing.TEACHER else None,
    )


def profile_page(viewer: User, user_id: int) -> ProfilePage:
    """The profile as `viewer` may see it. Outside their network it does not exist (404)."""
    owner = find_owner(user_id)
    if owner is None:
        raise NotFound(_l("This profile does not exist."))
    seen_at = standing(viewer, owner)
    if seen_at is Standing.STRANGER:
        raise NotFound(_l("This profile does not exist."))
    return _page(owner, seen_at, owner.name_for(viewer))


class PreviewAudience(enum.StrEnum):
    """Whom a student can preview their own profile as."""

    RECRUITER = "recruiter"  # a professional persona who is not a connection
    CLASSMATE = "classmate"  # a student of the class who is not a connection
    CONNECTION = "connection"


_PREVIEW_STANDING = {
    PreviewAudience.RECRUITER: Standing.NETWORK,
    PreviewAudience.CLASSMATE: Standing.NETWORK,
    PreviewAudience.CONNECTION: Standing.CONNECTION,
}


@dataclass(frozen=True)
class Reputation:
    """What a stranger in the network learns about someone."""

    fields_shown: tuple[str, ...]
    public_posts: int


def preview_as(owner: User, audience: PreviewAudience) -> tuple[ProfilePage, Reputation]:
    """One's own profile exactly as that audience sees it, and the e-reputation summary."""
    owner = find_owner(owner.id) or owner
    page = _page(owner, _PREVIEW_STANDING[audience], owner.public_name)
    public_posts = db.session.scalar(
        sa.select(sa.func.count()).select_from(Post).where(
            Post.author_id == owner.id, Post.audience == Audience.NETWORK
        )
    ) or 0
    stranger_fields = visible_fields(owner.profile, Standing.NETWORK)
    shown = tuple(
        field for field in FIELD_VISIBILITY_DEFAULTS
        if field in stranger_fields and _has_content(owner.profile, field)
    )
    return page, Reputation(fields_shown=shown, public_posts=public_posts)


def _has_content(profile: Profile, field: str) -> bool:
    value = {
        "photo": profile.photo_path,
        "banner": profile.banner_path,
    }.get(field, getattr(profile, field, None))
    return bool(value)


# ---- editing one's own profile -------------------------------------------------------------


@dataclass
class ProfileChanges:
    headline: str
    about: str
    city: str
    contact_email: str
    contact_phone: str
    skills: str  # one per line or separated by commas
    hashtags: str  # "#stage #export" or "stage, export"
    visibility: dict[str, str]
    pseudonym: str | None = None  # None: leave as it is
    charter_ack: bool = False  # "save anyway" after reading the charter coach's advice


def _require_owner(actor: User, owner: User) -> None:
    if actor.id != owner.id:
        raise PermissionDenied(_l("You can only change your own profile."))


def validate_city(city: str) -> str:
    city = clean_line(city, "city", required=False)
    if _ADDRESS_NUMBERS.search(city) or _STREET_WORDS.search(fold(city)):
        raise ServiceError(
            _l("Only the town: never a street address on a network."), field="city"
        )
    return city


def _long_text(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if has_control_characters(value):
        raise ServiceError(_l("This text contains invisible characters: retype it."), field=field)
    if len(value) > max_length:
        raise ServiceError(_l("%(count)d characters at most.", count=max_length), field=field)
    return value


def parse_skills(raw: str) -> list[str]:
    skills: list[str] = []
    for part in re.split(r"[,\n;]", raw or ""):
        skill = clean_line(part, "skills", max_length=60, required=False)
        if skill and skill.casefold() not in {s.casefold() for s in skills}:
            skills.append(skill)
    if len(skills) > MAX_SKILLS:
        raise ServiceError(_l("%(count)d skills at most.", count=MAX_SKILLS), field="skills")
    return skills


def parse_hashtags(raw: str) -> list[str]:
    tags: list[str] = []
    for part in re.split(r"[\s,;]+", raw or ""):
        tag = fold(part.lstrip("#")).replace("-", "_")
        if not tag:
            continue
        if not HASHTAG_PATTERN.match(tag):
            raise ServiceError(
                _l("“%(tag)s” is not a hashtag: letters, digits and _ only, no spaces.", tag=part),
                field="hashtags",
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_HASHTAGS:
        raise ServiceError(_l("%(count)d hashtags at most.", count=MAX_HASHTAGS), field="hashtags")
    return tags


def _validate_contact(changes: ProfileChanges) -> tuple[str, str]:
    email = clean_line(changes.contact_email, "contact_email", max_length=254, required=False)
    if email and not _EMAIL.match(email):
        raise ServiceError(_l("This e-mail address is not valid."), field="contact_email")
    phone = clean_line(changes.contact_phone, "contact_phone", max_length=32, required=False)
    if phone and not _PHONE.match(phone):
        raise ServiceError(_l("This phone number is not valid."), field="contact_phone")
    return email, phone


def update_profile(actor: User, owner: User, changes: ProfileChanges) -> None:
    """Save the main fields and their visibility; every check passes before anything is written."""
    _require_owner(actor, owner)
    profile = owner.profile
    headline = clean_line(changes.headline, "headline", max_length=160, required=False)
    about = _long_text(changes.about, "about", 2600)
    city = validate_city(changes.city)
    email, phone = _validate_contact(changes)
    skills = parse_skills(changes.skills)
    tags = parse_hashtags(changes.hashtags)
    visibility: dict[str, str] = {}
    for field, default in FIELD_VISIBILITY_DEFAULTS.items():
        chosen = changes.visibility.get(field, default.value)
        if chosen not in {v.value for v in Visibility}:
            raise ServiceError(_l("Choose who can see this."), field=f"{field}_visibility")
        if chosen != default.value:
            visibility[field] = chosen
    pseudonym = owner.pseudonym
    if changes.pseudonym is not None and owner.is_student:
        pseudonym = clean_line(changes.pseudonym, "pseudonym", required=False) or None
        if pseudonym and not (owner.school_class and owner.school_class.allow_pseudonyms):
            raise ServiceError(
                _l("This class uses real names: leave the pseudonym empty."), field="pseudonym"
            )
    # Only what changed is checked: saving the city again does not re-open the advice.
    screening = screen_fields(owner, changed_texts(profile, headline=headline, about=about),
                              kind=ContentKind.PROFILE,
                              acknowledged=changes.charter_ack)
    named = screen_fields(owner, changed_texts(owner, pseudonym=pseudonym or ""),
                          kind=ContentKind.PROFILE,
                          advice_on_save=False)  # a name: no spelling advice, but no insult

    profile.headline, profile.about, profile.city = headline, about, city
    profile.contact_email, profile.contact_phone = email, phone
    profile.visibility = visibility
    owner.pseudonym = pseudonym
    _keep_skills(profile, skills)
    if [tag.tag for tag in profile.hashtags] != sorted(tags):
        profile.hashtags = [ProfileHashtag(tag=tag) for tag in sorted(tags)]
    refresh_search_text(owner)
    settle(screening, owner, ContentKind.PROFILE, owner.id)
    settle(named, owner, ContentKind.PROFILE, owner.id)
    record_event(owner, "profile_updated")
    db.session.commit()


def _keep_skills(profile: Profile, names: list[str]) -> None:
    """Update the skills in place: a skill that stays keeps its row, and so its endorsements."""
    existing = {skill.name.casefold(): skill for skill in profile.skills}
    kept = []
    for position, name in enumerate(names):
        skill = existing.pop(name.casefold(), None) or ProfileSkill(name=name)
        skill.name, skill.position = name, position
        kept.append(skill)
    profile.skills = kept


class ItemKind(enum.StrEnum):
    EXPERIENCES = "experiences"
    EDUCATION = "education"
    LANGUAGES = "languages"
    LINKS = "links"


_ITEM_MODELS = {
    ItemKind.EXPERIENCES: Experience,
    ItemKind.EDUCATION: Education,
    ItemKind.LANGUAGES: LanguageSkill,
    ItemKind.LINKS: ProfileLink,
}
LANGUAGE_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


def _item_values(kind: ItemKind, data: dict) -> dict:
    """Checked column values for a new item of `kind`."""
    if kind is ItemKind.EXPERIENCES:
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ServiceError(_l("The end comes after the start."), field="end_date")
        return {
            "role": clean_line(data.get("role"), "role", max_length=120),
            "organisation": clean_line(data.get("organisation"), "organisation", max_length=120),
            "start_date": start,
            "end_date": end,
            "description": _long_text(data.get("description", ""), "description", 2000),
        }
    if kind is ItemKind.EDUCATION:
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            raise ServiceError(_l("The end comes after the start."), field="end_year")
        return {
            "school": clean_line(data.get("school"), "school", max_length=160),
            "diploma": clean_line(data.get("diploma"), "diploma", max_length=160),
            "start_year": start,
            "end_year": end,
        }
    if kind is ItemKind.LANGUAGES:
        level = data.get("level") or ""
        if level and level not in LANGUAGE_LEVELS:
            raise ServiceError(_l("Choose a level from the list."), field="level")
        return {"language": clean_line(data.get("language"), "language", max_length=60),
                "level": level}
    url = clean_line(data.get("url"), "url", max_length=500)
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE):
        raise ServiceError(_l("A link starts with https:// or http://."), field="url")
    return {"label": clean_line(data.get("label"), "label", max_length=60), "url": url}


def _screen_item(owner: User, values: dict, target: str) -> Screening:
    """The texts of a profile entry through the class charter (blocked and flagged findings;
    the entry's form has no room for advice)."""
    texts = {column: value for column, value in values.items()
             if column != "url" and isinstance(value, str)}
    return screen_fields(owner, texts, kind=ContentKind.PROFILE, target=target,
                         advice_on_save=False)


def add_item(actor: User, kind: ItemKind, data: dict) -> None:
    owner = actor
    profile = owner.profile
    items = getattr(profile, kind.value)
    if len(items) >= MAX_ITEMS:
        raise ServiceError(_l("%(count)d entries at most.", count=MAX_ITEMS))
    model = _ITEM_MODELS[kind]
    position = max((item.position for item in items), default=-1) + 1
    values = _item_values(kind, data)
    screening = _screen_item(owner, values, f"new:{kind.value}")
    items.append(model(position=position, **values))
    settle(screening, owner, ContentKind.PROFILE, owner.id)
    record_event(owner, "profile_updated", section=kind.value)
    db.session.commit()


def own_item(actor: User, kind: ItemKind, item_id: int):  # type: ignore[no-untyped-def]
    """One of `actor`'s own entries; anybody else's is reported as not existing."""
    item = db.session.get(_ITEM_MODELS[kind], item_id)
    if item is None or item.profile_id != actor.id:
        raise NotFound(_l("This entry does not exist."))
    return item


def update_item(actor: User, kind: ItemKind, item_id: int, data: dict) -> None:
    item = own_item(actor, kind, item_id)
    values = _item_values(kind, data)
    screening = _screen_item(actor, {column: value for column, value in values.items()
                                     if value != getattr(item, column)},
                             f"{kind.value}:{item_id}")
    for column, value in values.items():
        setattr(item, column, value)
    settle(screening, actor, ContentKind.PROFILE, actor.id)
    record_event(actor, "profile_updated", section=kind.value)
    db.session.commit()


def remove_item(actor: User, kind: ItemKind, item_id: int) -> None:
    item = own_item(actor, kind, item_id)
    db.session.delete(item)
    record_event(actor, "profile_updated", section=kind.value)
    db.session.commit()


# ---- pictures ------------------------------------------------------------------------------


def _uploads_root() -> Path:
    return Path(current_app.instance_path)


_IMAGE_COLUMNS = {ImageKind.AVATAR: "photo_path", ImageKind.BANNER: "banner_path"}


def set_picture(actor: User, kind: ImageKind, raw: bytes) -> None:
    """Check, clean (metadata removed) and store a photo or banner; a bad file stores nothing."""
    data = process_image(raw, kind)
    path = store_image(_uploads_root(), actor.id, kind, data)
    column = _IMAGE_COLUMNS[kind]
    previous = getattr(actor.profile, column)
    setattr(actor.profile, column, path)
    if kind is ImageKind.AVATAR:
        actor.profile.photo_checklist = {}  # the answers were about the previous photo
    record_event(actor, "picture_changed", picture=kind.value)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        delete_image(_uploads_root(), path)
        raise
    delete_image(_uploads_root(), previous)


def remove_picture(actor: User, kind: ImageKind) -> None:
    column = _IMAGE_COLUMNS[kind]
    previous = getattr(actor.profile, column)
    setattr(actor.profile, column, None)
    record_event(actor, "picture_removed", picture=kind.value)
    db.session.commit()
    delete_image(_uploads_root(), previous)


def save_photo_checklist(actor: User, answers: dict[str, bool]) -> None:
    actor.profile.photo_checklist = {key: bool(answers.get(key)) for key in PHOTO_MISTAKES}
    db.session.commit()


def picture_file(viewer: User, owner_id: int, name: str) -> Path:
    """The file of a photo or banner `viewer` may see; NotFound otherwise (even if it exists)."""
    owner = db.session.get(User, owner_id)
    if owner is None:
        raise NotFound(_l("This picture does not exist."))
    profile = owner.profile
    for field, column in (("photo", "photo_path"), ("banner", "banner_path")):
        path = getattr(profile, column)
        if path and path.rsplit("/", 1)[-1] == name:
            if field not in visible_fields(profile, standing(viewer, owner)):
                break
            file = _uploads_root() / "uploads" / path
            if not file.is_file():  # e.g. a database restored without its uploads folder
                break
            return file
    raise NotFound(_l("This picture does not exist."))
