"""The class document's parts about the class itself, its charter, rubric and people."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from flask_babel import gettext as _
from pydantic import Field, StringConstraints, model_validator

from sandbox.charter.models import Severity
from sandbox.charter.windows import MAX_WINDOWS
from sandbox.classes.models import NetworkScope
from sandbox.classes.services import TIME_COMPRESSION
from sandbox.config import SUPPORTED_LOCALES
from sandbox.grading.models import Measure
from sandbox.grading.validation import COMMENT_MAX_LENGTH, MAX_CRITERIA, SCALES, WEIGHT_MAX
from sandbox.profiles.models import FIELD_VISIBILITY_DEFAULTS, Visibility
from sandbox.profiles.services import LANGUAGE_LEVELS, PHOTO_MISTAKES
from sandbox.transfer.schema_types import (
    Key,
    KeysOf,
    Length,
    OneOf,
    Part,
    Picture,
    Stamp,
    Tag,
    Username,
)

# What the class settings accept (sandbox.classes.services.update_class_settings).
INVITATION_CAP = (1, 200)
# A check's code, as the seeded charter writes them (the engine skips codes it does not know).
CheckCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{3,20}$")]
Time = Annotated[str, StringConstraints(pattern=r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")]


class ClassPart(Part):
    name: Annotated[str, Length(120, 1)]
    join_code: Annotated[str, Length(20, 1)]
    network_scope: NetworkScope
    allow_pseudonyms: bool
    weekly_invitation_cap: Annotated[int, Field(ge=INVITATION_CAP[0], le=INVITATION_CAP[1])]
    students_create_groups: bool
    # The personas' delays are divided by this (1: real time), within the settings' range.
    persona_time_compression: Annotated[int, Field(ge=TIME_COMPRESSION[0],
                                                   le=TIME_COMPRESSION[1])]
    created_at: Stamp
    teachers: list[Username]


class RulePart(Part):
    code: Annotated[str, Length(40, 1)]
    position: int
    title_fr: Annotated[str, Length(160)]
    title_en: Annotated[str, Length(160)]
    text_fr: str
    text_en: str
    checks: list[CheckCode]
    severity: Severity
    enabled: bool


class WindowPart(Part):
    """A weekly posting window, as sandbox.charter.windows.parse_window writes it."""

    day: Annotated[int, Field(ge=0, le=6)]
    start: Time
    end: Time

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> WindowPart:
        if self.start >= self.end:
            raise ValueError(_("The window must end after it starts, on the same day (for a "
                               "window across midnight, add one row for each day)."))
        return self


class SettingsPart(Part):
    version: Annotated[int, Field(ge=1)]
    sms_allowlist: list[str]
    school_domains: list[str]
    allowed_emails: list[str]
    school_address: str
    forbidden_words: list[str]
    posting_windows: Annotated[list[WindowPart], Field(max_length=MAX_WINDOWS)]
    updated_at: Stamp
    updated_by: Username | None


class SignaturePart(Part):
    user: Username
    version: int
    signed_at: Stamp


class CharterPart(Part):
    settings: SettingsPart | None
    rules: list[RulePart]
    signatures: list[SignaturePart]


class CriterionPart(Part):
    key: Annotated[str, Length(40, 1)]
    measure: Measure
    label_fr: Annotated[str, Length(120)]
    label_en: Annotated[str, Length(120)]
    description_fr: str
    description_en: str
    weight: Annotated[int, Field(ge=0, le=WEIGHT_MAX)]
    position: int


class GradePart(Part):
    criterion: Annotated[str, Length(40, 1)]
    student: Username
    # Checked against the rubric's scale by RubricPart.
    score: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None
    comment: Annotated[str, Length(COMMENT_MAX_LENGTH)]
    graded_by: Username | None
    updated_at: Stamp


class RubricPart(Part):
    """The rubric, with the rules of sandbox.grading.validation: a grade the teacher could not
    have typed (12.3, 25 on 20) would be shown and counted as it is."""

    scale: Annotated[int, OneOf(SCALES)]
    updated_at: Stamp
    criteria: Annotated[list[CriterionPart], Field(max_length=MAX_CRITERIA)]
    grades: list[GradePart]

    @model_validator(mode="after")
    def _scores_on_the_scale(self) -> RubricPart:
        for grade in self.grades:
            score = grade.score
            if score is not None and (score > self.scale or not (score * 4).is_integer()):
                raise ValueError(_("Score %(score)s (%(student)s, “%(criterion)s”): a score "
                                   "goes from 0 to %(scale)d, to the quarter point.",
                                   score=score, student=grade.student,
                                   criterion=grade.criterion, scale=self.scale))
        return self


class EndorsementPart(Part):
    endorser: Username
    created_at: Stamp


class SkillPart(Part):
    key: Key
    name: Annotated[str, Length(60)]
    position: int
    endorsements: list[EndorsementPart]


class ExperiencePart(Part):
    position: int
    role: Annotated[str, Length(120)]
    organisation: Annotated[str, Length(120)]
    start_date: date | None
    end_date: date | None
    description: str


class EducationPart(Part):
    position: int
    school: Annotated[str, Length(160)]
    diploma: Annotated[str, Length(160)]
    start_year: int | None
    end_year: int | None


class LanguagePart(Part):
    position: int
    language: Annotated[str, Length(60)]
    level: Annotated[str, OneOf(("", *LANGUAGE_LEVELS))]  # "": not said


class LinkPart(Part):
    position: int
    label: Annotated[str, Length(60)]
    url: Annotated[str, Length(500)]


class ProfilePart(Part):
    headline: Annotated[str, Length(160)]
    about: str
    city: Annotated[str, Length(80)]
    contact_email: Annotated[str, Length(254)]
    contact_phone: Annotated[str, Length(32)]
    # Only the fields changed from their default (pages read every value as a Visibility).
    visibility: Annotated[dict[str, Visibility], KeysOf(tuple(FIELD_VISIBILITY_DEFAULTS))]
    photo_checklist: Annotated[dict[str, bool], KeysOf(PHOTO_MISTAKES)]
    photo: Picture | None
    banner: Picture | None
    skills: list[SkillPart]
    experiences: list[ExperiencePart]
    education: list[EducationPart]
    languages: list[LanguagePart]
    links: list[LinkPart]
    hashtags: list[Tag]


class PersonPart(Part):
    username: Username
    role: Literal["teacher", "student"]
    first_name: Annotated[str, Length(80)]
    last_name: Annotated[str, Length(80)]
    pseudonym: Annotated[str, Length(80)] | None
    locale: Annotated[str, OneOf(SUPPORTED_LOCALES)] | None
    password_hash: Annotated[str, Length(255)] | None
    is_disabled: bool
    must_change_password: bool
    created_at: Stamp
    last_login_at: Stamp | None
    profile: ProfilePart
