"""Contact lists: a student sorts their connections ("pro", "personal")."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sandbox.core.errors import NotFound, ServiceError
from sandbox.network import lists

blueprint = Blueprint("contact_lists", __name__, url_prefix="/contact-lists")

LIST_ID = "<int(min=1, max=2147483647):list_id>"
CONTACT_ID = "<int(min=1, max=2147483647):contact_id>"


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


def _back(list_id: int | None = None):  # type: ignore[no-untyped-def]
    anchor = f"list-{list_id}" if list_id is not None else None
    return redirect(url_for("contact_lists.index", _anchor=anchor))


@blueprint.route("/")
def index():  # type: ignore[no-untyped-def]
    return render_template(
        "contact_lists/index.html",
        page=lists.lists_page(current_user),
        name_max_length=lists.NAME_MAX_LENGTH,
    )


@blueprint.route("/", methods=["POST"])
def create():  # type: ignore[no-untyped-def]
    try:
        contact_list = lists.create_list(current_user, request.form.get("name"))
    except ServiceError as error:
        flash(str(error.message), "error")
        return _back()
    flash(_("List “%(name)s” created.", name=contact_list.name), "success")
    return _back(contact_list.id)


@blueprint.route(f"/{LIST_ID}/rename", methods=["POST"])
def rename(list_id: int):  # type: ignore[no-untyped-def]
    try:
        contact_list = lists.rename_list(current_user, list_id, request.form.get("name"))
    except NotFound:
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("List renamed “%(name)s”.", name=contact_list.name), "success")
    return _back(list_id)


@blueprint.route(f"/{LIST_ID}/delete", methods=["POST"])
def delete(list_id: int):  # type: ignore[no-untyped-def]
    name = lists.delete_list(current_user, list_id)
    flash(_("List “%(name)s” deleted. Your connections stay connected.", name=name), "success")
    return _back()


@blueprint.route(f"/{LIST_ID}/members", methods=["POST"])
def add_member(list_id: int):  # type: ignore[no-untyped-def]
    try:
        contact = lists.add_member(
            current_user, list_id, request.form.get("contact_id", type=int)
        )
    except NotFound:
        raise
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s added to the list.", name=contact.name_for(current_user)), "success")
    return _back(list_id)


@blueprint.route(f"/{LIST_ID}/members/{CONTACT_ID}/delete", methods=["POST"])
def remove_member(list_id: int, contact_id: int):  # type: ignore[no-untyped-def]
    lists.remove_member(current_user, list_id, contact_id)
    flash(_("Removed from the list."), "success")
    return _back(list_id)
