"""The group form: name, description, topics, how people join, and (when creating) its class."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from sandbox.classes.models import SchoolClass
from sandbox.groups.models import (
    GROUP_DESCRIPTION_MAX_LENGTH,
    GROUP_NAME_MAX_LENGTH,
    JoinPolicy,
)

SCHOOL_WIDE = ""  # the class choice of a group open to the whole school


def _policy_choices() -> list[SelectChoice]:
    return [
        SelectChoice(JoinPolicy.OPEN.value, _l("Open: whoever finds the group joins at once")),
        SelectChoice(
            JoinPolicy.REQUEST.value,
            _l("On request: an admin of the group accepts each new member"),
        ),
    ]


class GroupForm(FlaskForm):
    # Lengths are checked by the service, which says what is wrong in the same words everywhere.
    name = StringField(
        _l("Group name"),
        description=_l("For example: Export and international trade"),
        render_kw={"maxlength": GROUP_NAME_MAX_LENGTH, "required": True},
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the group talks about and who it is for."),
        render_kw={"maxlength": GROUP_DESCRIPTION_MAX_LENGTH, "rows": 5, "required": True},
    )
    topics = StringField(
        _l("Topics"),
        description=_l("Hashtags separated by spaces, for example: #export #alternance"),
        render_kw={"maxlength": 300},
    )
    join_policy = RadioField(
        _l("How people join"), choices=_policy_choices(), default=JoinPolicy.OPEN.value
    )
    class_id = SelectField(_l("Who can find the group"), choices=[], validate_choice=False)

    def offer_classes(self, classes: list[SchoolClass]) -> None:
        """The choice of class, for teachers and admins (a student's group is their class's)."""
        self.class_id.choices = [
            SelectChoice(SCHOOL_WIDE, _l("The whole school")),
            *(
                SelectChoice(str(klass.id), _l("Only the class %(name)s", name=klass.name))
                for klass in classes
            ),
        ]

    def chosen_class_id(self) -> int | None:
        raw = (self.class_id.data or "").strip()
        if raw == SCHOOL_WIDE:
            return None
        # Anything else than a class id names no class: the service says so.
        return int(raw) if raw.isdigit() and len(raw) < 10 else 0
