"""The charter editor's form, and the student's signature.

The fields are checked with the same functions as `sandbox.charter.edits`, so that the form
shows every mistake at once while the service stays the authority.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import Field
from wtforms.validators import DataRequired, ValidationError

from sandbox.charter import edits
from sandbox.charter.engine import Category
from sandbox.charter.models import CharterRule, ClassCharter, Severity
from sandbox.charter.windows import parse_window
from sandbox.core.errors import ServiceError
from sandbox.core.validation import clean_line, clean_text

# How many empty window rows the editor offers: a teacher adds more by saving and coming back.
EMPTY_WINDOW_ROWS = 3

# What an automatic check looks for, as the editor lists it under a rule.
CHECK_LABELS = {
    Category.PHONE: _l("phone numbers"),
    Category.EMAIL: _l("personal e-mail addresses"),
    Category.ADDRESS: _l("postal addresses"),
    Category.SMS: _l("SMS language"),
    Category.REGISTER: _l("informal register"),
    Category.SPELLING: _l("spelling and grammar"),
    Category.INSULT: _l("insults"),
    Category.DISCRIMINATION: _l("discriminating remarks"),
    Category.DEFAMATION: _l("accusations against a person"),
    Category.PHOTO_CONSENT: _l("photos of other people"),
    Category.CODES: _l("network codes (sources, mentions)"),
}

SEVERITY_CHOICES = [
    SelectChoice(Severity.COACH.value,
                 _l("Coach: advice before publishing; the student may publish anyway")),
    SelectChoice(Severity.FLAG.value, _l("Flag: published, and put in your moderation queue")),
    SelectChoice(Severity.BLOCK.value, _l("Block: cannot be published as it is")),
]

DAY_CHOICES = [
    SelectChoice("", _l("No window")),
    SelectChoice("0", _l("Monday")),
    SelectChoice("1", _l("Tuesday")),
    SelectChoice("2", _l("Wednesday")),
    SelectChoice("3", _l("Thursday")),
    SelectChoice("4", _l("Friday")),
    SelectChoice("5", _l("Saturday")),
    SelectChoice("6", _l("Sunday")),
]
DAY_NAMES = {int(choice.value): choice.label for choice in DAY_CHOICES if choice.value}


def check_labels(checks: Sequence[str]) -> list[str]:
    labels = []
    for check in checks:
        try:
            labels.append(str(CHECK_LABELS[Category(check)]))
        except ValueError:
            labels.append(check)
    return labels


def _service_check(check: Callable[[Any], Any]) -> Callable[[Any, Field], None]:
    """A form validator running one of the service's checks on the field's data."""

    def validator(_form: Any, field: Field) -> None:
        try:
            check(field.data)
        except ServiceError as error:
            raise ValidationError(str(error.message)) from None

    return validator


def _title(value: str | None) -> str:
    return clean_line(value, "", max_length=edits.TITLE_MAX_LENGTH)


def _text(value: str | None) -> str:
    return clean_text(value, "", max_length=edits.TEXT_MAX_LENGTH)


class RuleForm(Form):
    code = HiddenField()
    title_fr = StringField(_l("Title in French"), validators=[_service_check(_title)])
    title_en = StringField(_l("Title in English"), validators=[_service_check(_title)])
    text_fr = TextAreaField(_l("Text in French"), validators=[_service_check(_text)],
                            render_kw={"rows": 3})
    text_en = TextAreaField(_l("Text in English"), validators=[_service_check(_text)],
                            render_kw={"rows": 3})
    severity = SelectField(_l("When a check finds something"), choices=SEVERITY_CHOICES,
                           validate_choice=False)
    enabled = BooleanField(_l("This rule is part of the charter"))

    def validate_severity(self, field: Field) -> None:
        if field.data not in (None, "") and field.data not in {s.value for s in Severity}:
            raise ValidationError(_l("Choose coach, flag or block."))


class WindowForm(Form):
    day = SelectField(_l("Day"), choices=DAY_CHOICES, validate_choice=False)
    start = StringField(_l("Starts at"), render_kw={"type": "time", "placeholder": "08:30"})
    end = StringField(_l("Ends at"), render_kw={"type": "time", "placeholder": "10:30"})

    def validate(self, extra_validators: Any = None) -> bool:  # type: ignore[override]
        valid = super().validate(extra_validators)
        try:
            parse_window(self.data, "row")
        except ServiceError as error:
            name = (error.field or "row-day").rsplit("-", 1)[-1]
            getattr(self, name).errors.append(str(error.message))
            return False
        return valid


def _words(field_name: str) -> Callable[[Any], Any]:
    return lambda value: edits.parse_words(value, field_name)


class CharterForm(FlaskForm):
    version = HiddenField()
    rules = FieldList(FormField(RuleForm))
    sms_allowlist = TextAreaField(
        _l("SMS abbreviations allowed"),
        description=_l("One per line, or separated by commas, e.g. pdt, rdv, svp."),
        validators=[_service_check(_words("sms_allowlist"))], render_kw={"rows": 3},
    )
    school_domains = TextAreaField(
        _l("The school's e-mail domains"),
        description=_l("Addresses at these domains are not personal: students may write them. "
                       "For example: lycee-exemple.fr"),
        validators=[_service_check(edits.parse_domains)], render_kw={"rows": 2},
    )
    allowed_emails = TextAreaField(
        _l("Other e-mail addresses allowed"),
        description=_l("For example the internship office's address. One per line."),
        validators=[_service_check(edits.parse_emails)], render_kw={"rows": 2},
    )
    school_address = TextAreaField(
        _l("The school's postal address"),
        description=_l("Students may write it: it is not a personal address."),
        validators=[_service_check(lambda value: clean_text(
            value, "", max_length=edits.ADDRESS_MAX_LENGTH, required=False))],
        render_kw={"rows": 3},
    )
    forbidden_words = TextAreaField(
        _l("Forbidden words"),
        description=_l("Words or expressions to refuse besides the insults the app knows. "
                       "One per line, or separated by commas."),
        validators=[_service_check(_words("forbidden_words"))], render_kw={"rows": 3},
    )
    windows = FieldList(FormField(WindowForm))

    @classmethod
    def initial_data(cls, charter: ClassCharter, rules: Sequence[CharterRule]) -> dict:
        """What the form shows before any edit, with empty rows to add posting windows."""
        windows = [{"day": str(window["day"]), "start": window["start"], "end": window["end"]}
                   for window in charter.posting_windows or ()]
        windows += [{"day": "", "start": "", "end": ""}] * EMPTY_WINDOW_ROWS
        return {
            "version": str(charter.version),
            "rules": [
                {"code": rule.code, "title_fr": rule.title_fr, "title_en": rule.title_en,
                 "text_fr": rule.text_fr, "text_en": rule.text_en,
                 "severity": rule.severity.value, "enabled": rule.enabled}
                for rule in rules
            ],
            "sms_allowlist": "\n".join(charter.sms_allowlist or ()),
            "school_domains": "\n".join(charter.school_domains or ()),
            "allowed_emails": "\n".join(charter.allowed_emails or ()),
            "school_address": charter.school_address or "",
            "forbidden_words": "\n".join(charter.forbidden_words or ()),
            "windows": windows,
        }

    def to_edit(self, checked_codes: set[str]) -> edits.CharterEdit:
        """The typed values for the service; severities only for rules with automatic checks."""
        version = (self.version.data or "").strip()
        return edits.CharterEdit(
            version=int(version) if version.isdigit() else None,
            rules=[
                edits.RuleEdit(
                    code=entry.code.data or "",
                    title_fr=entry.title_fr.data, title_en=entry.title_en.data,
                    text_fr=entry.text_fr.data, text_en=entry.text_en.data,
                    severity=(entry.severity.data or None)
                    if entry.code.data in checked_codes else None,
                    enabled=bool(entry.enabled.data),
                )
                for entry in (item.form for item in self.rules)
            ],
            sms_allowlist=self.sms_allowlist.data or "",
            school_domains=self.school_domains.data or "",
            allowed_emails=self.allowed_emails.data or "",
            school_address=self.school_address.data or "",
            forbidden_words=self.forbidden_words.data or "",
            posting_windows=[item.form.data for item in self.windows],
        )


def find_field(form: Any, name: str | None) -> Field | None:
    """The field named `name` ("allowed_emails", "rules-3-title_fr"), wherever it is nested."""
    if not name:
        return None
    for field in form:
        if field.name == name:
            return field
        if isinstance(field, FieldList):
            for entry in field.entries:
                found = find_field(entry.form, name) if isinstance(entry, FormField) else None
                if found is not None:
                    return found
    return None


class SignForm(FlaskForm):
    agree = BooleanField(
        _l("I have read the charter and I commit to respecting it"),
        validators=[DataRequired(_l("Tick the box to sign the charter."))],
    )
    version = HiddenField()
    next = HiddenField()
