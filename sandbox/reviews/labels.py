"""The words of a review: the six criteria, what each asks, and the two questions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from sandbox.reviews.models import CRITERIA

CRITERION_LABELS: dict[str, LazyString] = {
    "pride": _l("Pride"),
    "growth": _l("Professional growth"),
    "motivation": _l("Motivation"),
    "fun": _l("Fun"),
    "management": _l("Management"),
    "environment": _l("Stimulating environment"),
}

# The question behind each score, so that "3" means the same thing to every trainee.
CRITERION_QUESTIONS: dict[str, LazyString] = {
    "pride": _l("Were you proud to say you worked there?"),
    "growth": _l("Did you learn things that will help you in your career?"),
    "motivation": _l("Did your tasks make you want to do well?"),
    "fun": _l("Did you enjoy your days there?"),
    "management": _l("Did your tutor and managers guide and support you?"),
    "environment": _l("Did the people and the place make you want to take initiatives?"),
}

LIKED_QUESTION = _l("What did you like most during your internship?")
ADVICE_QUESTION = _l("What would you tell a future trainee before they start?")

assert set(CRITERION_LABELS) == set(CRITERIA) == set(CRITERION_QUESTIONS)
