"""What an exercise accepts: titles, phases, teams and objectives, checked the same way by the
forms (to show every mistake beside its field), the services (the rule that counts) and the
seed templates (refused at load).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from sandbox.core.errors import ServiceError
from sandbox.exercises.models import ObjectiveKind, TeamRole

TITLE_MAX_LENGTH = 160
PHASE_NAME_MAX_LENGTH = 120
TEAM_NAME_MAX_LENGTH = 80
MINUTES_MIN, MINUTES_MAX = 1, 240
TARGET_MIN, TARGET_MAX = 1, 100
MAX_PHASES = 12
MAX_TEAMS = 20

# What each role can be asked: recruiters act for a company, candidates apply.
RECRUITER_ONLY = frozenset({ObjectiveKind.OFFERS_POSTED, ObjectiveKind.SHORTLISTED,
                            ObjectiveKind.DECISIONS})
CANDIDATE_ONLY = frozenset({ObjectiveKind.APPLICATIONS})


def kinds_for(role: TeamRole) -> list[ObjectiveKind]:
    """The objective kinds that make sense for `role`, in the enum's order."""
    excluded = CANDIDATE_ONLY if role is TeamRole.RECRUITER else RECRUITER_ONLY
    return [kind for kind in ObjectiveKind if kind not in excluded]


def _text(value: Any, field: str, max_length: int, empty: Any, too_long: Any) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ServiceError(empty, field=field)
    if len(text) > max_length:
        raise ServiceError(too_long, field=field)
    return text


def parse_title(value: Any, field: str = "title") -> str:
    return _text(value, field, TITLE_MAX_LENGTH, _l("Give the exercise a title."),
                 _l("The title is too long (%(max)d characters at most).",
                    max=TITLE_MAX_LENGTH))


def parse_phase_name(value: Any, field: str = "name") -> str:
    return _text(value, field, PHASE_NAME_MAX_LENGTH, _l("Give the phase a name."),
                 _l("The phase name is too long (%(max)d characters at most).",
                    max=PHASE_NAME_MAX_LENGTH))


def parse_team_name(value: Any, field: str = "name") -> str:
    return _text(value, field, TEAM_NAME_MAX_LENGTH, _l("Give the team a name."),
                 _l("The team name is too long (%(max)d characters at most).",
                    max=TEAM_NAME_MAX_LENGTH))


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


def parse_minutes(value: Any, field: str = "minutes") -> int:
    minutes = _whole_number(value)
    if minutes is None or not MINUTES_MIN <= minutes <= MINUTES_MAX:
        raise ServiceError(_l("A phase lasts from %(min)d to %(max)d minutes: write a whole "
                              "number.", min=MINUTES_MIN, max=MINUTES_MAX), field=field)
    return minutes


def parse_target(value: Any, kind: ObjectiveKind, field: str = "target") -> int:
    target = _whole_number(value)
    if kind is ObjectiveKind.PROFILE_COMPLETENESS:
        if target is None or not TARGET_MIN <= target <= 100:
            raise ServiceError(_l("A profile score is a percentage: write a whole number from "
                                  "1 to 100."), field=field)
        return target
    if target is None or not TARGET_MIN <= target <= TARGET_MAX:
        raise ServiceError(_l("Write a whole number from %(min)d to %(max)d.", min=TARGET_MIN,
                              max=TARGET_MAX), field=field)
    return target


def parse_role(value: Any, field: str = "role") -> TeamRole:
    try:
        return TeamRole(str(value or ""))
    except ValueError:
        raise ServiceError(_l("Choose the team’s role: candidates or recruiters."),
                           field=field) from None


def parse_kind(value: Any, role: TeamRole, field: str = "kind") -> ObjectiveKind:
    try:
        kind = ObjectiveKind(str(value or ""))
    except ValueError:
        raise ServiceError(_l("Choose what the objective counts."), field=field) from None
    if kind not in kinds_for(role):
        message = (_l("Only recruiters post offers and decide on applications.")
                   if kind in RECRUITER_ONLY else _l("Only candidates apply to offers."))
        raise ServiceError(message, field=field)
    return kind
