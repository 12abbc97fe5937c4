"""Account rules: creating people, checking passwords, joining a class."""

from __future__ import annotations

import re
import secrets
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from sandbox.accounts.models import Role, User
from sandbox.activity.services import record_event
from sandbox.core.errors import PermissionDenied, ServiceError
from sandbox.core.time import utcnow
from sandbox.core.validation import clean_line
from sandbox.extensions import db
from sandbox.profiles.models import Profile
from sandbox.profiles.search_index import refresh_search_text

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
MIN_PASSWORD_LENGTH = 8
# Letters and digits that cannot be mistaken for one another on a printed card.
_CARD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@cache
def _dummy_hash() -> str:
    """Checked against when a username is unknown, so that a wrong username costs as much
    time as a wrong password and usernames cannot be discovered by timing."""
    return hash_password(secrets.token_hex(16))


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def validate_username(username: str) -> str:
    username = normalise_username(username)
    if not USERNAME_PATTERN.match(username):
        raise ServiceError(
            _l(
                "A username has 3 to 40 characters: lowercase letters, digits, dots, "
                "dashes or underscores, starting with a letter or a digit."
            ),
            field="username",
        )
    if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise username_taken_error(username)
    return username


def validate_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            _l("A password has at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
            field="password",
        )
    return password


def validate_name(value: str, field: str) -> str:
    return clean_line(value, field)


def username_taken_error(username: str) -> ServiceError:
    return ServiceError(
        _l("The username “%(username)s” is already taken. Try another one.", username=username),
        field="username",
    )


def flush_new_accounts(username: str) -> None:
    """Write pending accounts; a username taken meanwhile (two people at once) is reported
    like any taken username, and nothing of this attempt is kept."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise username_taken_error(username) from None


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt by default; the tests pick a faster one)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def generate_one_time_password() -> str:
    """A password easy to copy from a printed card, e.g. 'k7qm-4xpd-h2rt'."""
    groups = ["".join(secrets.choice(_CARD_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def build_user(
    *,
    username: str,
    role: Role,
    first_name: str,
    last_name: str,
    password: str | None,
    pseudonym: str | None = None,
    class_id: int | None = None,
    must_change_password: bool = False,
) -> User:
    """A new user with an empty profile, added to the session (the caller commits)."""
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        pseudonym=pseudonym or None,
        class_id=class_id,
        password_hash=hash_password(password) if password is not None else None,
        must_change_password=must_change_password,
    )
    user.profile = Profile()
    refresh_search_text(user)
    db.session.add(user)
    return user


def create_staff_account(
    actor: User | None,
    *,
    role: Role,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    must_change_password: bool = False,
) -> User:
    """Create a teacher or an admin. `actor` is None only for the command line (server access).

    `must_change_password` when the password was chosen for someone else, who then picks their own.
    """
    if role not in (Role.TEACHER, Role.ADMIN):
        raise ValueError(f"staff accounts are teachers or admins, not {role}")
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_l("Only an administrator can create staff accounts."))
    user = build_user(
        username=validate_username(username),
        role=role,
        first_name=validate_name(first_name, "first_name"),
        last_name=validate_name(last_name, "last_name"),
        password=validate_password(password),
        must_change_password=must_change_password,
    )
    flush_new_accounts(user.username)
    if actor is not None:
        record_event(actor, "staff_account_created", user, role=role.value)
    db.session.commit()
    return user


def authenticate(username: str, password: str, locale: str | None = None) -> User | None:
    """The user with these credentials, if they may log in; records the login.

    `locale` is the language chosen on this browser before logging in: it becomes the user's
    preference only if they have none yet (a shared classroom computer must not impose one).
    """
    user = db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))
    if user is None or user.password_hash is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    if not user.is_active:
        return None
    user.last_login_at = utcnow()
    if user.locale is None and locale:
        user.locale = locale
    record_event(user, "logged_in")
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if user.password_hash is None or not check_password_hash(
        user.password_hash, current_password or ""
    ):
        raise ServiceError(_l("The current password is not right."), field="current_password")
    if current_password == new_password:
        raise ServiceError(
            _l("Choose a new password, different from the current one."), field="new_password"
        )
    validate_password(new_password)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.end_all_sessions()  # other browsers logged in with the old password are logged out
    record_event(user, "password_changed")
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()
