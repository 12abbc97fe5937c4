"""Profile pages: showing a profile, editing one's own, pictures, "view as"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.charter.web import charter_ack, charter_error
from sandbox.core.errors import ServiceError
from sandbox.core.forms import attach_service_error
from sandbox.media.images import ImageKind
from sandbox.network.recommendations import profile_sections
from sandbox.network.invitations import relationship_with
from sandbox.pagecache import kept_page
from sandbox.profiles import services
from sandbox.profiles.forms import (
    FIELD_LABELS,
    ITEM_FORMS,
    PHOTO_MISTAKE_LABELS,
    VISIBILITY_LABELS,
    PhotoChecklistForm,
    PictureForm,
    ProfileForm,
)
from sandbox.profiles.models import FIELD_VISIBILITY_DEFAULTS
from sandbox.profiles.services import ItemKind, PreviewAudience, ProfileChanges

blueprint = Blueprint("profiles", __name__)


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _labels() -> dict[str, object]:
    return {
        "field_labels": FIELD_LABELS,
        "visibility_labels": VISIBILITY_LABELS,
        "photo_mistake_labels": PHOTO_MISTAKE_LABELS,
    }


@blueprint.route("/people/<int(min=1, max=2147483647):user_id>")
@kept_page("profiles.show", lambda user_id: [f"u:{user_id}"])
def show(user_id: int):  # type: ignore[no-untyped-def]
    """A profile, addressed by id: a username may reveal the real name behind a pseudonym."""
    page = services.profile_page(current_user, user_id)
    return render_template("profiles/show.html", page=page, preview=None, **_labels(),
                           network_sections=profile_sections(current_user, page, None),
                           relationship=relationship_with(current_user, page.owner))


@blueprint.route("/profile/view-as/<audience>")
def view_as(audience: str):  # type: ignore[no-untyped-def]
    try:
        chosen = PreviewAudience(audience)
    except ValueError:
        abort(404)
    page, reputation = services.preview_as(current_user, chosen)
    return render_template(
        "profiles/show.html", page=page, preview=chosen, reputation=reputation, **_labels(),
        network_sections=profile_sections(current_user, page, chosen),
    )


def _profile_form() -> ProfileForm:
    profile = current_user.profile
    form = ProfileForm()
    if not form.is_submitted():
        form.pseudonym.data = current_user.pseudonym or ""
        form.headline.data = profile.headline
        form.about.data = profile.about
        form.city.data = profile.city
        form.skills.data = "\n".join(skill.name for skill in profile.skills)
        form.hashtags.data = " ".join(f"#{tag.tag}" for tag in profile.hashtags)
        form.contact_email.data = profile.contact_email
        form.contact_phone.data = profile.contact_phone
        for field in FIELD_VISIBILITY_DEFAULTS:
            getattr(form, f"{field}_visibility").data = profile.visibility_of(field).value
    return form


def _render_edit(form: ProfileForm | None = None, item_forms: dict | None = None,  # type: ignore[no-untyped-def]
                 refusal: ServiceError | None = None):
    forms = {kind: form_class(prefix=kind) for kind, form_class in ITEM_FORMS.items()}
    forms.update(item_forms or {})
    owner = services.find_owner(current_user.id)
    return render_template(
        "profiles/edit.html",
        form=form or _profile_form(),
        item_forms=forms,
        refusal=charter_error(refusal),
        owner=owner,
        completeness=services.completeness(owner.profile),
        allow_pseudonym=bool(owner.school_class and owner.school_class.allow_pseudonyms),
        fields=list(FIELD_VISIBILITY_DEFAULTS),
        **_labels(),
    )


@blueprint.route("/profile/edit", methods=["GET", "POST"])
def edit():  # type: ignore[no-untyped-def]
    form = _profile_form()
    refusal = None
    if form.validate_on_submit():
        changes = ProfileChanges(
            headline=form.headline.data or "",
            about=form.about.data or "",
            city=form.city.data or "",
            contact_email=form.contact_email.data or "",
            contact_phone=form.contact_phone.data or "",
            skills=form.skills.data or "",
            hashtags=form.hashtags.data or "",
            visibility={
                field: getattr(form, f"{field}_visibility").data
                for field in FIELD_VISIBILITY_DEFAULTS
            },
            pseudonym=form.pseudonym.data if current_user.is_student else None,
            charter_ack=charter_ack(),
        )
        try:
            services.update_profile(current_user, current_user, changes)
        except ServiceError as error:
            refusal = error
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("profiles.edit"))
    return _render_edit(form=form, refusal=refusal)


@blueprint.route("/profile/<kind>/add", methods=["POST"])
def add_item(kind: str):  # type: ignore[no-untyped-def]
    item_kind = _item_kind(kind)
    form = ITEM_FORMS[kind](prefix=kind)
    if form.validate_on_submit():
        try:
            services.add_item(current_user, item_kind, _item_data(form))
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Added to your profile."), "success")
            return redirect(url_for("profiles.edit", _anchor=kind))
    return _render_edit(item_forms={kind: form})


def _item_kind(kind: str) -> ItemKind:
    try:
        return ItemKind(kind)
    except ValueError:
        abort(404)


def _item_data(form) -> dict:  # type: ignore[no-untyped-def]
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@blueprint.route("/profile/<kind>/<int(min=1, max=2147483647):item_id>/edit", methods=["GET", "POST"])
def edit_item(kind: str, item_id: int):  # type: ignore[no-untyped-def]
    item_kind = _item_kind(kind)
    item = services.own_item(current_user, item_kind, item_id)
    form = ITEM_FORMS[kind](obj=item)
    if form.validate_on_submit():
        try:
            services.update_item(current_user, item_kind, item_id, _item_data(form))
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("profiles.edit", _anchor=kind))
    return render_template("profiles/item.html", form=form, kind=kind, item=item, **_labels())


@blueprint.route("/profile/<kind>/<int(min=1, max=2147483647):item_id>/delete", methods=["POST"])
def remove_item(kind: str, item_id: int):  # type: ignore[no-untyped-def]
    services.remove_item(current_user, _item_kind(kind), item_id)
    flash(_("Removed from your profile."), "success")
    return redirect(url_for("profiles.edit", _anchor=kind))


def _picture_kind(kind: str) -> ImageKind:
    if kind not in (ImageKind.AVATAR.value, ImageKind.BANNER.value):
        abort(404)
    return ImageKind(kind)


def _render_pictures(forms: dict | None = None, checklist: PhotoChecklistForm | None = None):  # type: ignore[no-untyped-def]
    picture_forms = {"avatar": PictureForm(prefix="avatar"), "banner": PictureForm(prefix="banner")}
    picture_forms.update(forms or {})
    if checklist is None:
        checklist = PhotoChecklistForm(data=current_user.profile.photo_checklist or {})
    return render_template(
        "profiles/pictures.html", picture_forms=picture_forms, checklist=checklist, **_labels()
    )


@blueprint.route("/profile/pictures")
def pictures():  # type: ignore[no-untyped-def]
    return _render_pictures()


@blueprint.route("/profile/pictures/<kind>", methods=["POST"])
def upload_picture(kind: str):  # type: ignore[no-untyped-def]
    image_kind = _picture_kind(kind)
    form = PictureForm(prefix=kind)
    if form.validate_on_submit():
        try:
            services.set_picture(current_user, image_kind, form.image.data.read())
        except ServiceError as error:
            form.image.errors = [*form.image.errors, str(error.message)]
        else:
            flash(_("Your picture has been saved."), "success")
            return redirect(url_for("profiles.pictures"))
    return _render_pictures(forms={kind: form})


@blueprint.route("/profile/pictures/<kind>/delete", methods=["POST"])
def remove_picture(kind: str):  # type: ignore[no-untyped-def]
    services.remove_picture(current_user, _picture_kind(kind))
    flash(_("Your picture has been removed."), "success")
    return redirect(url_for("profiles.pictures"))


@blueprint.route("/profile/photo-checklist", methods=["POST"])
def photo_checklist():  # type: ignore[no-untyped-def]
    form = PhotoChecklistForm()
    if form.validate_on_submit():
        services.save_photo_checklist(
            current_user, {key: getattr(form, key).data for key in services.PHOTO_MISTAKES}
        )
        flash(_("Your answers have been saved."), "success")
        return redirect(url_for("profiles.pictures"))
    return _render_pictures(checklist=form)


@blueprint.route("/pictures/<int(min=1, max=2147483647):user_id>/<name>")
def picture(user_id: int, name: str):  # type: ignore[no-untyped-def]
    """A photo or banner, only for those who may see it; the name changes with each upload."""
    path = services.picture_file(current_user, user_id, name)
    response = send_file(path, mimetype="image/webp", conditional=True, max_age=86400)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
