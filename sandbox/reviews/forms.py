"""The review form. It only carries the input: the service checks it and explains what is wrong."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from sandbox.reviews.labels import ADVICE_QUESTION, CRITERION_LABELS, LIKED_QUESTION
from sandbox.reviews.models import ANSWER_MAX_LENGTH, CRITERIA, CompanyReview
from sandbox.reviews.services import ReviewAnswers

SCORES = [SelectChoice(str(score), str(score)) for score in range(1, 6)]


def _score_field(name: str) -> RadioField:
    return RadioField(CRITERION_LABELS[name], choices=SCORES, validate_choice=False)


class ReviewForm(FlaskForm):
    recommend = RadioField(
        _l("Would you recommend this company to a future trainee?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validate_choice=False,
    )
    pride = _score_field("pride")
    growth = _score_field("growth")
    motivation = _score_field("motivation")
    fun = _score_field("fun")
    management = _score_field("management")
    environment = _score_field("environment")
    liked = TextAreaField(
        LIKED_QUESTION,
        description=_l("A task, a person, a moment: what made this internship worth it."),
        render_kw={"maxlength": ANSWER_MAX_LENGTH, "rows": 5},
    )
    advice = TextAreaField(
        ADVICE_QUESTION,
        description=_l("What to prepare, what to expect, what you wish you had known."),
        render_kw={"maxlength": ANSWER_MAX_LENGTH, "rows": 5},
    )

    def fill_from(self, review: CompanyReview) -> None:
        """Show the saved review in the form (on a first visit, not after a refused send)."""
        self.recommend.data = "yes" if review.recommend else "no"
        for name in CRITERIA:
            getattr(self, name).data = str(getattr(review, name))
        self.liked.data, self.advice.data = review.liked, review.advice

    def answers(self) -> ReviewAnswers:
        return ReviewAnswers(
            recommend=self.recommend.data,
            scores={name: getattr(self, name).data for name in CRITERIA},
            liked=self.liked.data,
            advice=self.advice.data,
        )

    def score_fields(self) -> list[RadioField]:
        return [getattr(self, name) for name in CRITERIA]
