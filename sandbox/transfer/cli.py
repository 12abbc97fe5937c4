"""`sandbox export-class CODE` and `sandbox import-class FILE`: a class moves to another server."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from sandbox.transfer.document import dump_document
from sandbox.transfer.exporter import OMISSIONS, export_class, find_class
from sandbox.transfer.importer import ImportSummary, import_class
from sandbox.transfer.references import TransferError

# The largest file `import-class` reads (a class with a semester of pictures weighs far less);
# the whole document is held in memory several times over while it is checked.
MAX_DOCUMENT_BYTES = 2**30


def _omission_line(kind: str, count: int) -> str:
    """What was left out of an export, in the school's language."""
    lines = {
        "connections": ngettext(
            "%(num)d connection with people outside the class was not exported.",
            "%(num)d connections with people outside the class were not exported.", count),
        "invitations": ngettext(
            "%(num)d invitation to or from people outside the class was not exported.",
            "%(num)d invitations to or from people outside the class were not exported.", count),
        "follows": ngettext(
            "%(num)d follow of people or companies outside the class was not exported.",
            "%(num)d follows of people or companies outside the class were not exported.",
            count),
        "conversations": ngettext(
            "%(num)d conversation with people outside the class was not exported.",
            "%(num)d conversations with people outside the class were not exported.", count),
        "posts": ngettext(
            "%(num)d post by people or in groups outside the class was not exported.",
            "%(num)d posts by people or in groups outside the class were not exported.", count),
        "comments": ngettext(
            "%(num)d comment by people or on posts outside the class was not exported.",
            "%(num)d comments by people or on posts outside the class were not exported.",
            count),
        "reactions": ngettext(
            "%(num)d like, mention or photo tag of people outside the class was not exported.",
            "%(num)d likes, mentions or photo tags of people outside the class were not "
            "exported.", count),
        "memberships": ngettext(
            "%(num)d group membership outside the class was not exported.",
            "%(num)d group memberships outside the class were not exported.", count),
        "list_members": ngettext(
            "%(num)d person outside the class was left out of contact lists.",
            "%(num)d people outside the class were left out of contact lists.", count),
        "recommendations": ngettext(
            "%(num)d recommendation with people outside the class was not exported.",
            "%(num)d recommendations with people outside the class were not exported.", count),
        "endorsements": ngettext(
            "%(num)d skill endorsement with people outside the class was not exported.",
            "%(num)d skill endorsements with people outside the class were not exported.",
            count),
        "introductions": ngettext(
            "%(num)d introduction involving people outside the class was not exported.",
            "%(num)d introductions involving people outside the class were not exported.",
            count),
        "cases": ngettext(
            "%(num)d moderation case about people no longer in the class was not exported.",
            "%(num)d moderation cases about people no longer in the class were not exported.",
            count),
        "reports": ngettext(
            "%(num)d report by people outside the class was not exported.",
            "%(num)d reports by people outside the class were not exported.", count),
        "signatures": ngettext(
            "%(num)d charter signature of people no longer in the class was not exported.",
            "%(num)d charter signatures of people no longer in the class were not exported.",
            count),
        "grades": ngettext(
            "%(num)d grade of people no longer in the class was not exported.",
            "%(num)d grades of people no longer in the class were not exported.", count),
        "offers_elsewhere": ngettext(
            "%(num)d application or saved offer about an offer of another class was not "
            "exported.",
            "%(num)d applications or saved offers about offers of other classes were not "
            "exported.", count),
        "team_members": ngettext(
            "%(num)d member of an exercise team, no longer in the class, was left out of it.",
            "%(num)d members of exercise teams, no longer in the class, were left out of them.",
            count),
        "links": ngettext(
            "%(num)d link to people or things outside the class was emptied (journal "
            "contacts, activity history, moderation).",
            "%(num)d links to people or things outside the class were emptied (journal "
            "contacts, activity history, moderation).", count),
        "pictures": ngettext(
            "%(num)d picture was missing from the uploads folder and was not exported.",
            "%(num)d pictures were missing from the uploads folder and were not exported.",
            count),
    }
    return lines[kind]


@click.command("export-class")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the document to this file (readable by its owner only) instead of "
                   "standard output.")
@with_appcontext
def export_class_command(code: str, output: Path | None) -> None:
    """Export the class with join code CODE as one JSON document.

    The document holds the class's settings, charter, rubric and grades, its teachers and
    students (with their password hashes, so their logins keep working, and their pictures),
    their profiles, posts, comments, groups, network, messages, job applications (with their
    cover letters), saved offers, company reviews, the offers written in the class, its
    exercises, charter findings, moderation and activity history. Keep it as safe as the
    database itself.

    Companies, their seeded offers and the personas are named by slug or username: the new
    server must have them (it does once `sandbox seed` has run). Whatever else links the class
    to the outside (connections or messages with personas, students of other classes, groups
    of the whole school) is left out, as if it had been deleted: standard error counts what
    was left out, and importing the document then exporting it again gives the same document.
    Notifications and the personas' scheduled actions (replies, decisions still to come) are
    not exported: on the new server, the personas react to what happens next.
    """
    try:
        exported = export_class(find_class(code))
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    text = dump_document(exported.document)
    if output is None:
        click.echo(text, nl=False)
    else:
        # Password hashes and minors' data: the file is for its owner's eyes only.
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    for kind in OMISSIONS:
        if exported.omitted[kind]:
            click.echo(_omission_line(kind, exported.omitted[kind]), err=True)
    if output is not None:
        click.echo(_("Class “%(name)s” exported to %(path)s.", name=exported.klass.name,
                     path=str(output)))


# What the import summary counts, in the school's language.
IMPORTED_KINDS = {
    "teachers": _l("teachers"),
    "students": _l("students"),
    "groups": _l("groups"),
    "posts": _l("posts"),
    "comments": _l("comments"),
    "connections": _l("connections"),
    "messages": _l("messages"),
    "findings": _l("charter findings"),
    "cases": _l("moderation cases"),
    "offers": _l("offers"),
    "applications": _l("applications"),
    "reviews": _l("company reviews"),
    "exercises": _l("exercises"),
    "events": _l("activity events"),
}


def _read_document_file(file: Path) -> bytes:
    """The file's bytes, refused when over MAX_DOCUMENT_BYTES (never read further than that,
    whatever the file system says its size is: a device or a pipe has none)."""
    too_large = TransferError(_(
        "This file is over %(size)s MB, the largest class document this command reads.",
        size=format_decimal(MAX_DOCUMENT_BYTES / 2**20, format="#,##0.###")))
    if file.stat().st_size > MAX_DOCUMENT_BYTES:
        raise too_large  # refused before reading it
    with file.open("rb") as handle:
        raw = handle.read(MAX_DOCUMENT_BYTES + 1)
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise too_large
    return raw


def _summary_line(summary: ImportSummary) -> str:
    counts = ", ".join(
        _("%(kind)s: %(count)d", kind=label, count=summary.counts[kind])
        for kind, label in IMPORTED_KINDS.items()
    )
    return _("Class “%(name)s” (join code %(code)s) imported: %(counts)s.",
             name=summary.name, code=summary.join_code, counts=counts)


@click.command("import-class")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_class_command(file: Path) -> None:
    """Import a class exported by `sandbox export-class` into this database.

    Everything is written in one transaction, or nothing: the import is refused (exit code 1)
    when the file is not a valid class document (or is over 1 GB), when one of its
    usernames, its join code or one of its groups' addresses already exists here, or when a
    company, offer or persona it refers to does not (load the seed first). An offer of the
    class whose address is taken here gets the next free one.
    """
    try:
        summary = import_class(_read_document_file(file))
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_summary_line(summary))
