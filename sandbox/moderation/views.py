"""Moderation pages: reporting, the teacher's queue and decisions, the audit log and its CSV,
and the author's page of warnings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from sandbox.accounts.models import User
from sandbox.core.errors import NotFound, PermissionDenied, ServiceError
from sandbox.core.forms import attach_service_error, safe_next_url
from sandbox.core.limits import per_person
from sandbox.core.spreadsheet import CsvDialect, csv_download
from sandbox.core.time import utcnow
from sandbox.i18n import current_language
from sandbox.moderation import actions, audit_log, author_view, content, queue, reports, services
from sandbox.moderation.forms import ReportForm

blueprint = Blueprint("moderation", __name__)

ID = "int(min=1, max=2147483647)"
ACTION_DONE = {
    "approve": _l("Approved: the content stays as it is."),
    "hide": _l("Hidden: nobody sees it any more."),
    "restore": _l("Restored: it shows again."),
    "delete": _l("Deleted: nobody sees it any more."),
}


@blueprint.before_request
@login_required
def require_login():  # type: ignore[no-untyped-def]
    return None


@blueprint.app_template_global("can_moderate")
def can_moderate(author: User) -> bool:
    """For the "Hide" button on a card: does the current user teach this student?"""
    return current_user.is_authenticated and services.can_moderate_author(current_user, author)


@blueprint.app_template_global("moderation_open_count")
def moderation_open_count() -> int:
    """Open cases of the current teacher's classes, for the menu (one query, when asked)."""
    if not current_user.is_authenticated:
        return 0
    return services.open_count(current_user)


@blueprint.app_template_global("moderation_action_label")
def moderation_action_label(action: str) -> str:
    return audit_log.action_label(action)


@blueprint.app_template_global("moderation_reason_label")
def moderation_reason_label(reason: str) -> str:
    return reports.reason_label(reason)


def _page_number() -> int:
    return request.args.get("page", default=1, type=int) or 1


def _class_filter() -> int | None:
    value = request.args.get("class_id", type=int)
    return value if value is not None and 0 < value <= content.MAX_ID else None


def _done_message(action: str, case_author: User) -> str:
    if action == "warn":
        return _("Warning sent to %(name)s.", name=case_author.name_for(current_user))
    return str(ACTION_DONE[action])


# ---- reporting ------------------------------------------------------------------------------


@blueprint.route(f"/report/<kind>/<{ID}:content_id>", methods=["GET", "POST"])
@per_person("REPORT_RATE_LIMIT")  # each report tells every teacher of a class
def report(kind: str, content_id: int):  # type: ignore[no-untyped-def]
    parsed, row = reports.reportable(current_user, kind, content_id)
    back = safe_next_url(request.values.get("next")) or content.reporter_link(parsed, row)
    already = reports.has_reported(current_user, parsed, content_id)
    form = ReportForm()
    status = 200
    if request.method == "POST" and not already:
        try:
            reports.report_content(current_user, kind, content_id, form.reason.data,
                                    form.details.data)
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as error:
            if not attach_service_error(form, error):
                flash(str(error.message), "error")
            status = 422
        else:
            flash(_("Thank you: your report was sent to your teacher."), "success")
            return redirect(back)
    return render_template(
        "moderation/report.html", form=form, kind=parsed, row=row, back=back, already=already,
        kind_label=content.KIND_LABELS[parsed], excerpt=content.text_of(parsed, row),
    ), status


# ---- the teacher's queue and decisions ------------------------------------------------------


@blueprint.route("/moderation")
def index():  # type: ignore[no-untyped-def]
    page = queue.queue_page(current_user, request.args.get("status"), _class_filter(),
                            _page_number())
    return render_template("moderation/queue.html", page=page,
                           status_filters=queue.STATUS_FILTERS)


@blueprint.route(f"/moderation/cases/<{ID}:case_id>")
def case(case_id: int):  # type: ignore[no-untyped-def]
    return render_template("moderation/case.html", view=queue.case_page(current_user, case_id))


@blueprint.route(f"/moderation/cases/<{ID}:case_id>/<action>", methods=["POST"])
def act(case_id: int, action: str):  # type: ignore[no-untyped-def]
    back = safe_next_url(request.form.get("next")) or url_for("moderation.case", case_id=case_id)
    reason, rule = request.form.get("reason"), request.form.get("rule")
    try:
        decided = actions.decide(current_user, case_id, action, reason, rule)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as error:
        if action != "warn":
            flash(str(error.message), "error")
            return redirect(back)
        # The teacher's message is shown again as typed, with what is wrong with it.
        view = queue.case_page(current_user, case_id)
        return render_template("moderation/case.html", view=view, warn_error=error,
                               warn_message=reason or "", warn_rule=rule or ""), 422
    flash(_done_message(action, decided.author), "success")
    return redirect(back)


@blueprint.route(f"/moderation/content/<kind>/<{ID}:content_id>/hide", methods=["POST"])
def hide_content(kind: str, content_id: int):  # type: ignore[no-untyped-def]
    """A teacher hides a student's text from where they read it (a card, a thread)."""
    case = actions.hide_from_card(current_user, kind, content_id, request.form.get("reason"))
    flash(str(ACTION_DONE["hide"]), "success")
    target = safe_next_url(request.form.get("next"))
    if target is None or (kind == "post" and target.startswith(
            url_for("posts.show", post_id=content_id))):
        # The page of a hidden post is gone: its case is where the teacher goes on.
        target = url_for("moderation.case", case_id=case.id)
    return redirect(target)


# ---- the audit log --------------------------------------------------------------------------


def _action_filter() -> str | None:
    value = request.args.get("action") or None
    return value if value in audit_log.ACTION_LABELS else None


@blueprint.route("/moderation/audit")
def audit():  # type: ignore[no-untyped-def]
    page = audit_log.audit_page(current_user, _action_filter(), _class_filter(), _page_number())
    return render_template("moderation/audit.html", page=page,
                           action_labels=audit_log.ACTION_LABELS,
                           action_label=audit_log.action_label, subject_of=audit_log.subject_of)


@blueprint.route("/moderation/audit.csv")
def audit_csv():  # type: ignore[no-untyped-def]
    class_id = _class_filter()
    dialect = CsvDialect.chosen(request.args.get("format"), current_language())
    text = audit_log.audit_csv(current_user, _action_filter(), class_id, dialect)
    return csv_download(text, audit_log.export_filename(class_id, utcnow()))


# ---- the author's own page ------------------------------------------------------------------


@blueprint.route("/moderation/warnings")
def warnings():  # type: ignore[no-untyped-def]
    return render_template("moderation/warnings.html",
                           notices=author_view.notices_for(current_user),
                           rule_title=author_view.rule_title, rule_text=author_view.rule_text)
