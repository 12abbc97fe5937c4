"""The shared timer, read from the exercise: the server's clock is the only truth.

The exercise stores the phase under way (`current_phase`, a position), when it (re)started
(`phase_started_at`) and, while paused, what was left (`paused_remaining_seconds`). Pages are
given the remaining seconds and the end time; they count down on their own between two events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.exercises.models import Exercise, ExercisePhase, ExerciseStatus


@dataclass(frozen=True)
class Timer:
    status: ExerciseStatus
    phase: ExercisePhase | None  # the phase under way (None before the start, after the end)
    number: int  # 1-based rank of the phase among the exercise's phases (0: none)
    count: int  # how many phases the exercise has
    next_phase: ExercisePhase | None
    remaining_seconds: int | None  # None when no phase is under way
    ends_at: datetime | None  # naive UTC; only while running

    @property
    def running(self) -> bool:
        return self.status is ExerciseStatus.RUNNING

    @property
    def paused(self) -> bool:
        return self.status is ExerciseStatus.PAUSED

    @property
    def time_is_up(self) -> bool:
        """The phase's time is over, and the teacher has not moved on yet."""
        return self.phase is not None and self.remaining_seconds == 0

    @property
    def clock(self) -> str:
        """The remaining time as "mm:ss" ("h:mm:ss" beyond an hour)."""
        seconds = self.remaining_seconds or 0
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"

    @property
    def iso_duration(self) -> str:
        """The remaining time for a `<time datetime>` attribute."""
        return f"PT{self.remaining_seconds or 0}S"


def phase_at(exercise: Exercise, position: int | None) -> ExercisePhase | None:
    return next((phase for phase in exercise.phases if phase.position == position), None)


def phase_after(exercise: Exercise, position: int | None) -> ExercisePhase | None:
    later = [phase for phase in exercise.phases if position is None or phase.position > position]
    return min(later, key=lambda phase: phase.position, default=None)


def remaining_seconds(exercise: Exercise, phase: ExercisePhase, now: datetime) -> int:
    """What is left of the phase under way: frozen while paused, never below zero."""
    if exercise.status is ExerciseStatus.PAUSED:
        return max(0, exercise.paused_remaining_seconds or 0)
    if exercise.phase_started_at is None:
        return phase.minutes * 60
    elapsed = max(0.0, (now - exercise.phase_started_at).total_seconds())
    return max(0, int(phase.minutes * 60 - elapsed + 0.999))  # 0.2 s left still shows 00:01


def timer_of(exercise: Exercise, now: datetime) -> Timer:
    """The timer as every page shows it (the phases must be loaded)."""
    phases = sorted(exercise.phases, key=lambda phase: phase.position)
    live = exercise.status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED)
    phase = phase_at(exercise, exercise.current_phase) if live else None
    if phase is None:
        upcoming = phases[0] if exercise.status is ExerciseStatus.DRAFT and phases else None
        return Timer(exercise.status, None, 0, len(phases), upcoming, None, None)
    left = remaining_seconds(exercise, phase, now)
    ends_at = None
    if exercise.status is ExerciseStatus.RUNNING and exercise.phase_started_at is not None:
        ends_at = exercise.phase_started_at + timedelta(minutes=phase.minutes)
    return Timer(exercise.status, phase, phases.index(phase) + 1, len(phases),
                 phase_after(exercise, phase.position), left, ends_at)
