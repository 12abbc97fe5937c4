"""How complete a profile is (0–100), and the next steps that would raise the score.

Shown to the student on their profile; the dashboard and the personas reuse the same score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from sandbox.profiles.models import Profile


@dataclass(frozen=True)
class Criterion:
    key: str
    points: int
    advice: str
    is_met: Callable[[Profile], bool]


CRITERIA: tuple[Criterion, ...] = (
    Criterion("photo", 15, _l("Add a professional photo."), lambda p: bool(p.photo_path)),
    Criterion("headline", 15, _l("Write a headline that says what you do or what you look for."),
              lambda p: len(p.headline.strip()) >= 10),
    Criterion("about", 15, _l("Tell your story in a few sentences in “About”."),
              lambda p: len(p.about.strip()) >= 80),
    Criterion("experiences", 15,
              _l("Add an experience: an internship, a job, a volunteer role, a school project."),
              lambda p: len(p.experiences) >= 1),
    Criterion("education", 10, _l("Add your education."), lambda p: len(p.education) >= 1),
    Criterion("skills", 10, _l("List at least three skills."), lambda p: len(p.skills) >= 3),
    Criterion("city", 5, _l("Say which town you live in (the town only)."),
              lambda p: bool(p.city.strip())),
    Criterion("languages", 5, _l("Add the languages you speak."), lambda p: len(p.languages) >= 1),
    Criterion("hashtags", 5,
              _l("Add hashtags for your interests (#i4emploi says you are looking for a job)."),
              lambda p: len(p.hashtags) >= 1),
    Criterion("banner", 5, _l("Add a banner image."), lambda p: bool(p.banner_path)),
)

assert sum(criterion.points for criterion in CRITERIA) == 100


@dataclass(frozen=True)
class Completeness:
    score: int
    next_steps: tuple[Criterion, ...]  # most valuable first


def completeness(profile: Profile) -> Completeness:
    missing = [criterion for criterion in CRITERIA if not criterion.is_met(profile)]
    score = 100 - sum(criterion.points for criterion in missing)
    missing.sort(key=lambda criterion: -criterion.points)
    return Completeness(score=score, next_steps=tuple(missing))
