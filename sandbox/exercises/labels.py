"""How an exercise's states, roles, templates and objectives read, in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from sandbox.exercises.models import (
    ExerciseStatus,
    ExerciseTemplate,
    ObjectiveKind,
    TeamRole,
)
from sandbox.exercises.templates_data import exercise_templates
from sandbox.i18n import current_language

STATUS_LABELS = {
    ExerciseStatus.DRAFT: _l("Being prepared"),
    ExerciseStatus.RUNNING: _l("Running"),
    ExerciseStatus.PAUSED: _l("Paused"),
    ExerciseStatus.FINISHED: _l("Finished"),
}

ROLE_LABELS = {
    TeamRole.CANDIDATE: _l("Candidates"),
    TeamRole.RECRUITER: _l("Recruiters"),
}

# In a list of what an objective may count (the editor's menu).
KIND_LABELS = {
    ObjectiveKind.PROFILE_COMPLETENESS: _l(
        "Profile completeness (a percentage every member reaches)"),
    ObjectiveKind.PERSONAL_INVITATIONS: _l("Invitations with a personal message"),
    ObjectiveKind.CONNECTIONS: _l("New connections"),
    ObjectiveKind.POSTS: _l("Posts published or shared"),
    ObjectiveKind.COMMENTS: _l("Comments"),
    ObjectiveKind.GROUPS_JOINED: _l("Groups joined"),
    ObjectiveKind.FOLLOWS: _l("People, companies or hashtags followed"),
    ObjectiveKind.MESSAGES: _l("Messages sent"),
    ObjectiveKind.OUTCOMES: _l("What contacts brought (journal, gifts)"),
    ObjectiveKind.APPLICATIONS: _l("Applications sent"),
    ObjectiveKind.OFFERS_POSTED: _l("Job offers posted"),
    ObjectiveKind.SHORTLISTED: _l("Candidates shortlisted"),
    ObjectiveKind.DECISIONS: _l("Decisions on applications (offer or declined)"),
}


# Each objective as a goal, in the plural its target needs.
_GOALS = {
    ObjectiveKind.PERSONAL_INVITATIONS: lambda n: ngettext(
        "%(num)d invitation with a personal message",
        "%(num)d invitations with a personal message", n),
    ObjectiveKind.CONNECTIONS: lambda n: ngettext(
        "%(num)d new connection", "%(num)d new connections", n),
    ObjectiveKind.POSTS: lambda n: ngettext(
        "%(num)d post published or shared", "%(num)d posts published or shared", n),
    ObjectiveKind.COMMENTS: lambda n: ngettext("%(num)d comment", "%(num)d comments", n),
    ObjectiveKind.GROUPS_JOINED: lambda n: ngettext(
        "%(num)d group joined", "%(num)d groups joined", n),
    ObjectiveKind.FOLLOWS: lambda n: ngettext(
        "%(num)d person, company or hashtag followed",
        "%(num)d people, companies or hashtags followed", n),
    ObjectiveKind.MESSAGES: lambda n: ngettext(
        "%(num)d message sent", "%(num)d messages sent", n),
    ObjectiveKind.OUTCOMES: lambda n: ngettext(
        "%(num)d thing obtained from a contact", "%(num)d things obtained from contacts", n),
    ObjectiveKind.APPLICATIONS: lambda n: ngettext(
        "%(num)d application sent", "%(num)d applications sent", n),
    ObjectiveKind.OFFERS_POSTED: lambda n: ngettext(
        "%(num)d job offer posted", "%(num)d job offers posted", n),
    ObjectiveKind.SHORTLISTED: lambda n: ngettext(
        "%(num)d candidate shortlisted", "%(num)d candidates shortlisted", n),
    ObjectiveKind.DECISIONS: lambda n: ngettext(
        "%(num)d decision on an application", "%(num)d decisions on applications", n),
}


def objective_sentence(kind: ObjectiveKind, target: int) -> str:
    """The objective as a goal: "3 invitations with a personal message", "Every member's
    profile complete at 80 % or more"."""
    if kind is ObjectiveKind.PROFILE_COMPLETENESS:
        return str(_l("Every member’s profile complete at %(num)d %% or more", num=target))
    return _GOALS[kind](target)


def template_title(template: ExerciseTemplate) -> str:
    """The template's name (a blank exercise's default title is not a name for the kind)."""
    if template is ExerciseTemplate.BLANK:
        return str(_l("Blank exercise"))
    return exercise_templates()[template].title(current_language())


def template_summary(template: ExerciseTemplate) -> str:
    return exercise_templates()[template].summary(current_language())
