"""The persona console: a teacher, or a student recruiting during an exercise, acts as a
fictional professional — conversations, invitations, applications, posts and job offers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from sandbox.accounts.models import User
from sandbox.charter.web import charter_ack, charter_error
from sandbox.companies.labels import JOB_KIND_LABELS
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import attach_service_error
from sandbox.core.limits import per_person
from sandbox.jobs.labels import STATUS_LABELS
from sandbox.jobs.models import ApplicationStatus
from sandbox.jobs.pipeline import letter_for_recruiter, next_statuses
from sandbox.messages.services import MESSAGE_MAX_LENGTH
from sandbox.network.models import InvitationStatus
from sandbox.personas import console, console_actions, playing
from sandbox.personas.forms import OfferForm, PersonaPostForm, ReplyForm

blueprint = Blueprint("personas", __name__, url_prefix="/personas")

PERSONA = "<int(min=1, max=2147483647):user_id>"
OTHER = "<int(min=1, max=2147483647):other_id>"
INVITATION = "<int(min=1, max=2147483647):invitation_id>"
APPLICATION = "<int(min=1, max=2147483647):application_id>"
MAX_ID = 2**31 - 1

# The buttons moving an application to each status, as the recruiter's decision.
MOVE_LABELS = {
    ApplicationStatus.SHORTLISTED.value: _l("Shortlist"),
    ApplicationStatus.INTERVIEW.value: _l("Invite to an interview"),
    ApplicationStatus.OFFER.value: _l("Offer the job"),
    ApplicationStatus.DECLINED.value: _l("Decline"),
}

_ANSWERS = {
    "accept": InvitationStatus.ACCEPTED,
    "decline": InvitationStatus.DECLINED,
    "ignore": InvitationStatus.IGNORED,
}


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


@blueprint.app_template_global("can_play")
def can_play(person: User) -> bool:
    """For the "Play this professional" link on a persona's profile."""
    return (current_user.is_authenticated and person.is_persona
            and playing.may_play(current_user, person))


@blueprint.app_template_global("personas_to_play")
def personas_to_play() -> list[User]:
    """For a student's home or exercise page: the personas they play right now (often none)."""
    if not (current_user.is_authenticated and current_user.is_student):
        return []
    return playing.playable_personas(current_user)


def _class_id() -> int | None:
    value = request.values.get("class_id", type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def _back_to_console(user_id: int, class_id: int | None,  # type: ignore[no-untyped-def]
                     anchor: str | None = None):
    return redirect(url_for("personas.console", user_id=user_id, class_id=class_id,
                            _anchor=anchor))


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    return render_template("personas/index.html",
                           personas=playing.playable_personas(current_user))


@blueprint.route(f"/{PERSONA}", endpoint="console")
def console_page(user_id: int):  # type: ignore[no-untyped-def]
    seat = playing.seat_for(current_user, user_id, _class_id())
    return render_template("personas/console.html", seat=seat, page=console.overview(seat),
                           status_labels=STATUS_LABELS)


@blueprint.route(f"/{PERSONA}/take-over", methods=["POST"])
def take_over(user_id: int):  # type: ignore[no-untyped-def]
    return _switch(playing.take_over, user_id,
                   _("You play this professional: they no longer act on their own."))


@blueprint.route(f"/{PERSONA}/hand-back", methods=["POST"])
def hand_back(user_id: int):  # type: ignore[no-untyped-def]
    return _switch(playing.hand_back, user_id,
                   _("Handed back: the professional acts on their own again."))


def _switch(change, user_id: int, done: str):  # type: ignore[no-untyped-def]
    """Take a persona over or hand it back, then back to its console (a refusal the person may
    read is flashed; not found and not allowed stay errors)."""
    try:
        change(current_user, user_id, _class_id())
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(done, "success")
    return _back_to_console(user_id, _class_id())


# ---- messages --------------------------------------------------------------------------------


def _render_thread(seat: playing.Seat, other_id: int,  # type: ignore[no-untyped-def]
                   form: ReplyForm, refusal: ServiceError | None = None):
    before = request.args.get("before", type=int)
    page = console.persona_thread(seat, other_id,
                                  before if before and 0 < before <= MAX_ID else None)
    return render_template("personas/thread.html", seat=seat, page=page, form=form,
                           refusal=refusal, max_length=MESSAGE_MAX_LENGTH)


@blueprint.route(f"/{PERSONA}/messages/{OTHER}")
def thread(user_id: int, other_id: int):  # type: ignore[no-untyped-def]
    seat = playing.seat_about(current_user, user_id, other_id, _class_id())
    return _render_thread(seat, other_id, ReplyForm())


@blueprint.route(f"/{PERSONA}/messages/{OTHER}", methods=["POST"])
@per_person("MESSAGE_RATE_LIMIT")
def reply(user_id: int, other_id: int):  # type: ignore[no-untyped-def]
    seat = playing.seat_about(current_user, user_id, other_id, _class_id())
    form = ReplyForm()
    refusal = None
    if form.validate_on_submit():
        try:
            console_actions.reply_as(current_user, user_id, other_id, form.body.data,
                                     class_id=seat.class_id, charter_ack=charter_ack())
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as error:
            refusal = charter_error(error)
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Message sent."), "success")
            return redirect(url_for("personas.thread", user_id=user_id, other_id=other_id,
                                    class_id=seat.class_id, _anchor="message-form"))
    return _render_thread(seat, other_id, form, refusal)


# ---- invitations ------------------------------------------------------------------------------


@blueprint.route(f"/{PERSONA}/invitations/{INVITATION}/<answer>", methods=["POST"])
def answer(user_id: int, invitation_id: int, answer: str):  # type: ignore[no-untyped-def]
    status = _ANSWERS.get(answer)
    if status is None:
        abort(404)
    try:
        console_actions.answer_as(current_user, user_id, invitation_id, status)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash({
            InvitationStatus.ACCEPTED: _("Invitation accepted: they are now connected."),
            InvitationStatus.DECLINED: _("Invitation declined."),
            InvitationStatus.IGNORED: _("Invitation ignored: the sender is not told."),
        }[status], "success")
    return _back_to_console(user_id, _class_id(), "invitations")


# ---- applications -----------------------------------------------------------------------------


@blueprint.route(f"/{PERSONA}/applications/{APPLICATION}")
def application(user_id: int, application_id: int):  # type: ignore[no-untyped-def]
    seat, item = console_actions.open_application(current_user, user_id, application_id)
    return render_template(
        "personas/application.html", seat=seat, application=item,
        page=console.candidate_profile(seat, item.student), letter=letter_for_recruiter(item),
        moves=[status for status in next_statuses(item.status)
               if status is not ApplicationStatus.SEEN],
        status_labels=STATUS_LABELS, job_kind_labels=JOB_KIND_LABELS, move_labels=MOVE_LABELS,
    )


@blueprint.route(f"/{PERSONA}/applications/{APPLICATION}/status", methods=["POST"])
def move_application(user_id: int, application_id: int):  # type: ignore[no-untyped-def]
    try:
        status = ApplicationStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    try:
        console_actions.move_application_as(current_user, user_id, application_id, status)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Application moved to “%(status)s”.", status=STATUS_LABELS[status]), "success")
    return redirect(url_for("personas.application", user_id=user_id,
                            application_id=application_id))


# ---- publishing -------------------------------------------------------------------------------


@blueprint.route(f"/{PERSONA}/post", methods=["GET", "POST"])
@per_person("POST_RATE_LIMIT")
def post(user_id: int):  # type: ignore[no-untyped-def]
    seat = playing.seat_for(current_user, user_id, _class_id())
    form = PersonaPostForm()
    refusal = None
    if form.validate_on_submit():
        try:
            console_actions.post_as(current_user, user_id, form.body.data,
                                    class_id=seat.class_id, charter_ack=charter_ack())
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as error:
            refusal = charter_error(error)
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Published as %(name)s.", name=seat.persona.full_name), "success")
            return _back_to_console(user_id, seat.class_id, "publish")
    return render_template("personas/post.html", seat=seat, form=form, refusal=refusal)


@blueprint.route(f"/{PERSONA}/offers/new", methods=["GET", "POST"])
@per_person("POST_RATE_LIMIT")
def new_offer(user_id: int):  # type: ignore[no-untyped-def]
    seat = playing.seat_for(current_user, user_id, _class_id())
    form = OfferForm()
    form.class_id.choices = [SelectChoice(klass.id, klass.name) for klass in seat.classes]
    if not form.is_submitted() and seat.klass is not None:
        form.class_id.data = seat.klass.id
    refusal = None
    if form.validate_on_submit():
        try:
            offer = console_actions.offer_as(
                current_user, user_id, title=form.title.data or "", kind=form.kind.data or "",
                city=form.city.data or "", start_date=form.start_date.data,
                duration=form.duration.data or "", description=form.description.data or "",
                class_id=form.class_id.data, charter_ack=charter_ack())
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as error:
            refusal = charter_error(error)
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Offer published as %(name)s.", name=seat.persona.full_name), "success")
            return _back_to_console(user_id, offer.class_id, "publish")
    return render_template("personas/offer.html", seat=seat, form=form, refusal=refusal)
