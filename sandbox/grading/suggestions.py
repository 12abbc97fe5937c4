"""The suggested score of each criterion, from the student's figures alone.

A pure function of `StudentFigures` (no database, no clock): the same activity always gives the
same suggestion. Each measure turns the figures into a share of full marks between 0 and 1,
then into points on the rubric's scale, rounded to the quarter point (half up).

Targets (full marks for a component when the student reaches its target; less in proportion):

- identity: profile completeness 100 % (counts 3), a photo that, on the "mistakes to
  avoid" checklist, avoids every one (counts 1);
- network: 5 invitations with a personal message, 10 connections, 3 classmates and 3
  professionals among them, professionals from 2 different companies (each counts 1);
- visibility: 5 posts, 5 comments, 2 posts in a group, 2 shares (a share credits its source);
- watch: 5 people, 3 companies and 3 hashtags followed.

Charter: full marks, minus points for each finding (counted out of 20, then brought to the
rubric's scale): 4 for a rule set to block, 2 to flag, 1 to coach; a quarter of that when the
student fixed the text (or gave it up: never published), the whole of it when the text was
blocked, flagged (unless a teacher approved the text) or published anyway. Never below 0.

Manual criteria have no suggestion: the teacher scores them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import lazy_gettext as _l

from sandbox.charter.models import FindingOutcome, Severity
from sandbox.dashboard.figures import StudentFigures
from sandbox.grading.models import Measure

COUNT, PERCENT, YES_NO, POINTS = "count", "percent", "yes_no", "points"


@dataclass(frozen=True)
class Target:
    """One component of a measure: what is read in the figures, and what earns full marks."""

    key: str
    label: str  # lazy: translated when shown
    target: int
    read: Callable[[StudentFigures], int]
    weight: int = 1
    kind: str = COUNT


@dataclass(frozen=True)
class FigureLine:
    """One of "the figures behind" a suggestion, as the grading page shows it."""

    label: str  # lazy: translated only where a page shows it
    value: float
    target: float | None
    kind: str = COUNT


@dataclass(frozen=True)
class Suggestion:
    score: float  # on the rubric's scale, to the quarter point
    figures: tuple[FigureLine, ...]


TARGETS: dict[Measure, tuple[Target, ...]] = {
    Measure.IDENTITY: (
        Target("completeness", _l("Profile completeness"), 100,
               lambda f: f.completeness, weight=3, kind=PERCENT),
        Target("photo", _l("A photo that avoids every mistake of the checklist"), 1,
               lambda f: int(f.photo_checklist_clean), kind=YES_NO),
    ),
    Measure.NETWORK: (
        Target("invitations_personal", _l("Invitations with a personal message"), 5,
               lambda f: f.invitations_personal),
        Target("connections", _l("Connections"), 10, lambda f: f.connections),
        Target("connections_students", _l("Connections with classmates"), 3,
               lambda f: f.connections_students),
        Target("connections_professionals", _l("Connections with professionals"), 3,
               lambda f: f.connections_professionals),
        Target("companies", _l("Companies in the network"), 2,
               lambda f: f.companies_in_network),
    ),
    Measure.VISIBILITY: (
        Target("posts", _l("Posts"), 5, lambda f: f.posts),
        Target("comments", _l("Comments"), 5, lambda f: f.comments),
        Target("group_posts", _l("Posts in a group"), 2, lambda f: f.group_posts),
        Target("shares", _l("Shares (crediting the source)"), 2, lambda f: f.shares),
    ),
    Measure.WATCH: (
        Target("follows_people", _l("People followed"), 5, lambda f: f.follows_people),
        Target("follows_companies", _l("Companies followed"), 3, lambda f: f.follows_companies),
        Target("follows_hashtags", _l("Hashtags followed"), 3, lambda f: f.follows_hashtags),
    ),
}

# The charter's points off, counted out of CHARTER_OUT_OF and brought to the rubric's scale.
CHARTER_OUT_OF = 20
SEVERITY_POINTS = {Severity.BLOCK: 4, Severity.FLAG: 2, Severity.COACH: 1}
# Nothing was published: the student fixed the text, or gave up after the advice.
FIXED_OUTCOMES = (FindingOutcome.FIXED, FindingOutcome.COACHED)
FIXED_SHARE = Fraction(1, 4)
# Counted in quarter points, so the share must be a whole number of quarters.
_FIXED_QUARTERS = int(FIXED_SHARE * 4)
assert _FIXED_QUARTERS == FIXED_SHARE * 4

CHARTER_LINES = {
    (Severity.BLOCK, True): _l("Findings on rules that block, fixed"),
    (Severity.BLOCK, False): _l("Findings on rules that block, not fixed"),
    (Severity.FLAG, True): _l("Findings on rules that flag, fixed"),
    (Severity.FLAG, False): _l("Findings on rules that flag, published and flagged"),
    (Severity.COACH, True): _l("Findings on rules that coach, fixed or not sent"),
    (Severity.COACH, False): _l("Findings on rules that coach, published anyway"),
}
POINTS_OFF = _l("Points off, out of %(scale)d", scale=CHARTER_OUT_OF)


def round_quarter(value: Fraction) -> Fraction:
    """To the nearest quarter point, halves up (12.125 -> 12.25), exactly."""
    return Fraction(math.floor(value * 4 + Fraction(1, 2)), 4)


def _on_scale(numerator: int, denominator: int, scale: int) -> float:
    """The share numerator/denominator (kept between 0 and 1) of `scale`, to the quarter point.

    In whole numbers, as `round_quarter` does with fractions: a page computes hundreds of
    suggestions, and the result must not depend on floating-point error."""
    numerator = min(max(numerator, 0), denominator)
    quarters = (8 * numerator * scale + denominator) // (2 * denominator)
    return quarters / 4


def _measured(measure: Measure, figures: StudentFigures, scale: int) -> Suggestion:
    targets = TARGETS[measure]
    common = math.lcm(*(target.target for target in targets))
    numerator = 0
    lines = []
    for target in targets:
        value = target.read(figures)
        numerator += target.weight * min(max(value, 0), target.target) * (common // target.target)
        lines.append(FigureLine(target.label, value, target.target, target.kind))
    denominator = common * sum(target.weight for target in targets)
    return Suggestion(_on_scale(numerator, denominator, scale), tuple(lines))


def _quarter_points_off(figures: StudentFigures) -> int:
    """The points off, out of CHARTER_OUT_OF, counted in quarter points."""
    quarters = 0
    for (severity, outcome), count in figures.findings_by_severity.items():
        weight = SEVERITY_POINTS.get(Severity(severity), 0)
        fixed = FindingOutcome(outcome) in FIXED_OUTCOMES
        quarters += weight * count * (_FIXED_QUARTERS if fixed else 4)
    return quarters


def charter_points_off(figures: StudentFigures) -> Fraction:
    """The points off, out of CHARTER_OUT_OF, for the student's findings."""
    return Fraction(_quarter_points_off(figures), 4)


def _charter(figures: StudentFigures, scale: int) -> Suggestion:
    counts: dict[tuple[Severity, bool], int] = dict.fromkeys(CHARTER_LINES, 0)
    for (severity, outcome), count in figures.findings_by_severity.items():
        key = (Severity(severity), FindingOutcome(outcome) in FIXED_OUTCOMES)
        counts[key] = counts.get(key, 0) + count
    lines = [FigureLine(CHARTER_LINES[key], count, 0)
             for key, count in counts.items() if count and key in CHARTER_LINES]
    quarters = _quarter_points_off(figures)
    lines.append(FigureLine(POINTS_OFF, quarters / 4, 0, POINTS))
    out_of = CHARTER_OUT_OF * 4
    return Suggestion(_on_scale(out_of - quarters, out_of, scale), tuple(lines))


def suggest(measure: Measure, figures: StudentFigures, scale: int) -> Suggestion | None:
    """The suggested score on `scale` with its figures; None for a criterion scored by hand."""
    if measure is Measure.MANUAL:
        return None
    if measure is Measure.CHARTER:
        return _charter(figures, scale)
    return _measured(measure, figures, scale)
