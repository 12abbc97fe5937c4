"""The network pages: my network, inviting, answering, connections, introductions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from sandbox.accounts.models import User
from sandbox.charter.web import charter_ack, charter_error
from sandbox.core.errors import NotFound, ServiceError
from sandbox.core.forms import attach_service_error, safe_next_url
from sandbox.extensions import db
from sandbox.network import invitations
from sandbox.network.forms import IntroductionForm, InvitationForm
from sandbox.network.models import InvitationStatus
from sandbox.network.suggestions import suggestions_for
from sandbox.profiles.visibility import fields_seen_of

blueprint = Blueprint("network", __name__, url_prefix="/network")

_ANSWERS = {
    "accept": InvitationStatus.ACCEPTED,
    "decline": InvitationStatus.DECLINED,
    "ignore": InvitationStatus.IGNORED,
}


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _back(default: str):  # type: ignore[no-untyped-def]
    return redirect(safe_next_url(request.form.get("next")) or default)


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    connections = invitations.connections_of(current_user, current_user)
    received = invitations.received_pending(current_user)
    sent = invitations.sent_pending(current_user)
    suggestions = suggestions_for(current_user) if current_user.is_student else []
    people = [*connections, *(i.sender for i in received), *(s.user for s in suggestions)]
    return render_template(
        "network/index.html",
        connections=connections,
        received=received,
        sent=sent,
        suggestions=suggestions,
        seen=fields_seen_of(current_user, people),
        cap=invitations.weekly_cap(current_user),
        sent_this_week=invitations.sent_this_week(current_user),
    )


@blueprint.route("/invite/<int(min=1, max=2147483647):user_id>", methods=["GET", "POST"])
def invite(user_id: int):  # type: ignore[no-untyped-def]
    recipient = invitations.visible_person(current_user, user_id)  # 404 before anything else
    form = InvitationForm()
    hints = []
    refusal = None
    if form.validate_on_submit():
        try:
            result = invitations.send_invitation(
                current_user, user_id, form.message.data or "", form.send_anyway.data,
                charter_ack=charter_ack(),
            )
        except NotFound:
            raise
        except ServiceError as error:
            refusal = charter_error(error)
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            if result.invitation is not None:
                flash(_("Invitation sent to %(name)s.", name=recipient.name_for(current_user)),
                      "success")
                return redirect(url_for("profiles.show", user_id=user_id))
            hints = result.hints
    return render_template(
        "network/invite.html", form=form, recipient=recipient, hints=hints, refusal=refusal,
        cap=invitations.weekly_cap(current_user),
        sent_this_week=invitations.sent_this_week(current_user),
    )


@blueprint.route("/invitations/<int(min=1, max=2147483647):invitation_id>/withdraw",
                 methods=["POST"])
def withdraw(invitation_id: int):  # type: ignore[no-untyped-def]
    try:
        invitations.withdraw_invitation(current_user, invitation_id)
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise
        flash(str(error.message), "error")
    else:
        flash(_("Invitation withdrawn."), "success")
    return _back(url_for("network.index"))


@blueprint.route("/invitations/<int(min=1, max=2147483647):invitation_id>/<answer>",
                 methods=["POST"])
def answer(invitation_id: int, answer: str):  # type: ignore[no-untyped-def]
    status = _ANSWERS.get(answer)
    if status is None:
        abort(404)
    try:
        invitations.answer_invitation(current_user, invitation_id, status)
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise
        flash(str(error.message), "error")
    else:
        flash({
            InvitationStatus.ACCEPTED: _("Invitation accepted: you are now connected."),
            InvitationStatus.DECLINED: _("Invitation declined."),
            InvitationStatus.IGNORED: _("Invitation ignored: the sender is not told."),
        }[status], "success")
    return _back(url_for("network.index"))


@blueprint.route("/connections/<int(min=1, max=2147483647):user_id>/delete", methods=["POST"])
def remove_connection(user_id: int):  # type: ignore[no-untyped-def]
    invitations.remove_connection(current_user, user_id)
    flash(_("Connection removed."), "success")
    return _back(url_for("network.index"))


@blueprint.route("/people/<int(min=1, max=2147483647):user_id>/connections")
def connections(user_id: int):  # type: ignore[no-untyped-def]
    owner = db.session.get(User, user_id)
    if owner is None:
        raise NotFound(_("This person does not exist."))
    people = invitations.connections_of(owner, current_user)
    return render_template("network/connections.html", owner=owner, people=people,
                           seen=fields_seen_of(current_user, people))


@blueprint.route("/personas")
def persona_invitations():  # type: ignore[no-untyped-def]
    """Teachers answer for the fictional professionals until those answer by themselves."""
    return render_template("network/personas.html",
                           pending=invitations.persona_invitations_for(current_user))


@blueprint.route("/introductions", methods=["GET", "POST"])
def introductions():  # type: ignore[no-untyped-def]
    form = IntroductionForm()
    contacts = invitations.introducible_contacts(current_user)
    choices = sorted((SelectChoice(user.id, user.name_for(current_user)) for user in contacts),
                     key=lambda choice: choice.label.casefold())
    form.student_id.choices = choices
    form.introduced_id.choices = choices
    if form.validate_on_submit():
        try:
            invitations.introduce(current_user, form.student_id.data, form.introduced_id.data,
                                  form.note.data or "")
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Introduction sent: both have been told."), "success")
            return redirect(url_for("network.introductions"))
    return render_template("network/introductions.html", form=form,
                           introductions=invitations.introductions_for(current_user),
                           has_contacts=len(choices) >= 2)
