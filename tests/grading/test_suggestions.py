"""The suggestion formula on figures written by hand: no database, exact values."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from sandbox.accounts.models import User
from sandbox.dashboard.figures import StudentFigures
from sandbox.grading.models import Measure
from sandbox.grading.suggestions import round_quarter, suggest


def figures(**values: object) -> StudentFigures:
    return StudentFigures(student=User(username="x"), **values)  # type: ignore[arg-type]


def score(measure: Measure, scale: int = 20, **values: object) -> float:
    suggestion = suggest(measure, figures(**values), scale)
    assert suggestion is not None
    return suggestion.score


def test_rounding_is_to_the_quarter_point_halves_up():
    assert round_quarter(Fraction(1060, 150)) == Fraction(7)  # 7.07
    assert round_quarter(Fraction(97, 8)) == Fraction(49, 4)  # 12.125 -> 12.25
    assert round_quarter(Fraction(95, 8)) == Fraction(12)  # 11.875 -> 12
    assert round_quarter(Fraction(0)) == 0


def test_identity_weighs_completeness_three_times_the_photo():
    assert score(Measure.IDENTITY, completeness=100, photo_checklist_clean=True) == 20
    assert score(Measure.IDENTITY, completeness=60, photo_checklist_clean=True) == 14
    assert score(Measure.IDENTITY, completeness=35) == 5.25
    assert score(Measure.IDENTITY, scale=100, completeness=35) == 26.25


def test_network_reaches_full_marks_at_its_targets_and_no_more():
    full = dict(invitations_personal=5, connections_students=3, connections_professionals=7,
                companies_in_network=2)
    assert score(Measure.NETWORK, **full) == 20
    assert score(Measure.NETWORK, **{**full, "invitations_personal": 50}) == 20
    # 2/5 + 2/10 + 1/3 + 1/3 + 1/2 = 53/30 of 5 components: 7.07 -> 7
    assert score(Measure.NETWORK, invitations_personal=2, connections_students=1,
                 connections_professionals=1, companies_in_network=1) == 7


def test_visibility_and_watch():
    assert score(Measure.VISIBILITY, posts=3, group_posts=1, comments=5, shares=1) == 13
    assert score(Measure.WATCH, follows_people=1, follows_companies=3) == 8
    assert score(Measure.WATCH, scale=10, follows_people=5, follows_companies=3,
                 follows_hashtags=3) == 10


def test_charter_takes_off_by_severity_and_by_what_the_student_did():
    def charter(**counts: int) -> float:
        by_severity = Counter({tuple(key.split("_")): n for key, n in counts.items()})
        return score(Measure.CHARTER, findings_by_severity=by_severity)

    assert charter() == 20
    assert charter(coach_overridden=1) == 19
    assert charter(flag_flagged=1) == 18
    assert charter(block_blocked=1) == 16
    # Fixed, or given up after the advice: a quarter.
    assert charter(block_fixed=1) == 19
    assert charter(coach_fixed=1, coach_coached=1) == 19.5
    assert charter(coach_overridden=1, block_fixed=1, flag_flagged=1) == 16
    assert charter(block_blocked=7) == 0  # never below 0


def test_same_figures_same_suggestion_and_the_figures_behind_it():
    values = dict(posts=2, comments=7, shares=1)
    first = suggest(Measure.VISIBILITY, figures(**values), 20)
    second = suggest(Measure.VISIBILITY, figures(**values), 20)
    assert first == second
    assert first is not None
    assert [(line.value, line.target) for line in first.figures] == [
        (2, 5), (7, 5), (0, 2), (1, 2)]


def test_a_criterion_scored_by_hand_has_no_suggestion():
    assert suggest(Measure.MANUAL, figures(posts=5), 20) is None
