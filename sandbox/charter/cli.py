"""`sandbox charter-check`: the charter engine from the command line (same JSON as the API)."""

from __future__ import annotations

import json
import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import gettext as _

from sandbox.charter.engine import CharterPolicy, check_text
from sandbox.charter.policy import policy_for_class
from sandbox.classes.models import SchoolClass
from sandbox.extensions import db


def _class_policy(code: str) -> CharterPolicy:
    klass = db.session.scalar(
        sa.select(SchoolClass).where(sa.func.upper(SchoolClass.join_code) == code.upper())
    )
    if klass is None:
        raise click.UsageError(_("No class has the join code %(code)s.", code=code))
    return policy_for_class(klass.id)


@click.command("charter-check")
@click.option("--lang", "lang_code", type=click.Choice(["fr", "en", "auto"]), default="auto",
              show_default=True, help="Language of the text (auto: detected, French on a tie).")
@click.option("--class", "class_code", metavar="CODE",
              help="Check against this class's charter (its join code) instead of the default.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.argument("text", nargs=-1, required=True)
@with_appcontext
def charter_check_command(lang_code: str, class_code: str | None, as_json: bool,
                          text: tuple[str, ...]) -> None:
    """Check TEXT against the class charter; TEXT "-" reads standard input."""
    content = sys.stdin.read() if text == ("-",) else " ".join(text)
    policy = _class_policy(class_code) if class_code else None
    report = check_text(content, lang_code=lang_code, policy=policy)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    click.echo(_("Language: %(lang)s", lang=report.lang))
    if report.off:
        click.echo(_("Checks off (not installed here): %(checks)s",
                     checks=", ".join(category.value for category in report.off)))
    if not report.findings:
        click.echo(_("Nothing to change: this text respects the charter."))
    for number, finding in enumerate(report.findings, start=1):
        click.echo(f"{number}. [{finding.category.value}] {finding.rule} ({finding.severity.value})"
                   f" {finding.start}-{finding.end} « {finding.excerpt} »")
        click.echo(f"   {finding.message}")
        if finding.fix:
            click.echo(f"   → {finding.fix}")
