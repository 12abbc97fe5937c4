"""The charter at the moment a student saves a text: the server's verdict is the one that counts.

Services call `screen()` before writing and `settle()` once the content has an id, in the same
transaction:

- a *block* finding refuses the text (`CharterRefusal`), with the reason;
- *coach* findings refuse it once (`CharterCoaching`) so the form can show them; the student
  edits, or sends again with `acknowledged=True` ("publish anyway"), which the audit log records;
- *flag* findings let the text through and open a case in the teacher's moderation queue.

Only students are screened: teachers moderate, personas are the app's own fiction. Whatever
refuses a text, the form shows it again as typed (views re-render, never redirect).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from sandbox.accounts.models import User
from sandbox.activity.services import record_event
from sandbox.charter.engine import Finding, check_text
from sandbox.charter.findings import record_refused, record_saved
from sandbox.charter.models import ClassCharter, FindingOutcome, Severity
from sandbox.charter.policy import handle_checker, policy_for
from sandbox.charter.windows import closed_message
from sandbox.core.errors import ServiceError
from sandbox.extensions import db
from sandbox.moderation.audit import record_audit
from sandbox.moderation.models import ContentKind


class CharterRefusal(ServiceError):
    """A finding the class blocks: the text cannot be saved as it is."""

    def __init__(self, findings: list[Finding], field: str | None = None) -> None:
        super().__init__(_l("This text breaks the class charter: change it before sending."),
                         field=field)
        self.findings = findings

    def __repr__(self) -> str:  # logs and test reports name what was found
        return f"CharterRefusal({[(f.category.value, f.excerpt) for f in self.findings]})"


class CharterCoaching(ServiceError):
    """Findings to read before sending: the author edits, or sends anyway (acknowledged)."""

    def __init__(self, findings: list[Finding], field: str | None = None) -> None:
        super().__init__(_l("Read the charter's advice below: change your text, or send it "
                            "anyway."), field=field)
        self.findings = findings

    def __repr__(self) -> str:
        return f"CharterCoaching({[(f.category.value, f.excerpt) for f in self.findings]})"


@dataclass
class Screening:
    """What the gate let through: the findings overridden and those for the teacher's queue."""

    texts: dict[str, str] = field(default_factory=dict)
    target: str = ""  # what the text is aimed at (see CharterFinding.target)
    overridden: list[tuple[str, Finding]] = field(default_factory=list)
    flagged: list[tuple[str, Finding]] = field(default_factory=list)


def require_posting_window(author: User) -> None:
    """Outside the class's posting windows (rule 2), a student neither posts nor comments.

    Direct messages stay open: personal exchanges go there (rule 4).
    """
    if not author.is_student or author.class_id is None:
        return
    message = closed_message(db.session.get(ClassCharter, author.class_id))
    if message:
        raise ServiceError(message, field="body")


def screen(author: User, text: str | None, *, kind: ContentKind, target: str = "",
           field: str = "body", acknowledged: bool = False) -> Screening:
    """Check one text of `author` against their class's charter; raise when it may not go out."""
    return screen_fields(author, {field: text or ""}, kind=kind, target=target,
                         acknowledged=acknowledged)


def screen_fields(author: User, texts: Mapping[str, str | None], *, kind: ContentKind,
                  target: str = "", acknowledged: bool = False,
                  advice_on_save: bool = True) -> Screening:
    """Check several fields of one form (a profile's headline and about…) as one verdict.

    `advice_on_save=False` is for short fields without room for the coach (a profile entry, a
    pseudonym, an introduction's note): blocked and flagged findings count as everywhere,
    advice is left out (neither asked for nor recorded).

    A refusal's findings are kept (`charter.findings`) for the teacher's dashboard; `target`
    says what the text is aimed at ("post:12" for a comment on it, "user:7" for a message…),
    so that only a later text aimed at the same thing counts as the fix.
    """
    screening = Screening(texts={name: text or "" for name, text in texts.items()},
                          target=target)
    if not author.is_student:
        return screening
    policy = policy_for(author)
    coached: list[tuple[str, Finding]] = []
    for name, text in screening.texts.items():
        if not text.strip():
            continue
        report = check_text(text, policy=policy, handle_exists=handle_checker(author, text))
        blocking = report.of_severity(Severity.BLOCK)
        if blocking:
            record_refused(author, kind, target, screening.texts,
                           [(name, f) for f in blocking], FindingOutcome.BLOCKED)
            raise CharterRefusal(blocking, field=name)
        if advice_on_save:
            coached.extend((name, finding) for finding in report.of_severity(Severity.COACH))
        screening.flagged.extend((name, finding) for finding in report.of_severity(Severity.FLAG))
    if coached and not acknowledged:
        record_refused(author, kind, target, screening.texts, coached, FindingOutcome.COACHED)
        raise CharterCoaching([finding for _, finding in coached], field=coached[0][0])
    screening.overridden = coached
    return screening


def changed_texts(saved: object, **texts: str) -> dict[str, str]:
    """The texts that differ from what `saved` holds: saving a form again checks only those."""
    return {name: text for name, text in texts.items() if text != (getattr(saved, name) or "")}


def settle(screening: Screening, author: User, kind: ContentKind, content_id: int) -> None:
    """Record the overrides and queue the flagged findings; no commit (the caller's action does)."""
    if author.is_student:
        record_saved(author, kind, screening.target, content_id, screening.texts,
                     screening.overridden, screening.flagged)
    if screening.overridden:
        findings = [finding.as_json() for _, finding in screening.overridden]
        record_audit(author, "override", kind=kind, content_id=content_id, author=author,
                     findings=findings)
        record_event(author, "charter_override", None, content_kind=kind.value,
                     content_id=content_id, categories=sorted({f["category"] for f in findings}))
    if screening.flagged:
        from sandbox.moderation.services import flag_content

        text, findings = _joined(screening)
        flag_content(author, kind, content_id, text, findings)


def _joined(screening: Screening) -> tuple[str, list[Finding]]:
    """The fields as one text for the teacher's queue, with each finding's span moved along."""
    offsets: dict[str, int] = {}
    parts: list[str] = []
    position = 0
    for name, text in screening.texts.items():
        if text:
            offsets[name] = position
            parts.append(text)
            position += len(text) + 2
    findings = [
        dataclasses.replace(finding, start=finding.start + offsets[name],
                            end=finding.end + offsets[name])
        for name, finding in screening.flagged
    ]
    return "\n\n".join(parts), findings
