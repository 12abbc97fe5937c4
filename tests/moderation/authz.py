"""The moderation routes in the authorization matrix (tests/test_authorization.py).

Léa (student) and Hugo (classmate) are connected. Each wrote a post for their connections; Hugo
wrote to Léa. Léa's post was flagged by the charter and reported by Hugo: its case belongs to
their class, whose teacher alone moderates it (admins run the server, they do not moderate).
Reporters report only what they can see (anything else: 404), never their own text (403); the
author's teachers moderate instead of reporting (403). Nina (other class) reported a persona's
post: its case is read by her teacher only, who may approve it but never hide or delete it (403).
"""

from __future__ import annotations

from sandbox.charter.engine import Category, Finding
from sandbox.charter.models import Severity
from sandbox.extensions import db
from sandbox.messages.models import Message
from sandbox.messages.queries import conversation_between, insert_conversation_if_missing
from sandbox.moderation.models import ContentKind, ModerationCase
from sandbox.moderation.reports import report_content
from sandbox.moderation.services import flag_content
from sandbox.posts.models import Audience, Post
from tests.authz import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Case, logged_in

TEXT = "Appelle-moi au 06 12 34 56 78"


def _post(author, body: str, audience: Audience = Audience.CONNECTIONS) -> Post:
    post = Post(author_id=author.id, body=body, audience=audience)
    db.session.add(post)
    db.session.commit()
    return post


def add_entries(school: dict) -> dict:
    lea, hugo = school["student"], school["classmate"]
    lea_post = _post(lea, TEXT)
    spare = _post(lea, "Un autre texte de Léa")
    hugo_post = _post(hugo, "Le stage de Hugo")
    # The messages feature's entries may already have opened their conversation.
    insert_conversation_if_missing(lea.id, hugo.id)
    conversation = conversation_between(lea.id, hugo.id)
    message = Message(conversation_id=conversation.id, sender_id=hugo.id, recipient_id=lea.id,
                      body="Salut Léa")
    db.session.add(message)
    start = TEXT.index("06")
    case = flag_content(lea, ContentKind.POST, lea_post.id, TEXT, [Finding(
        category=Category.PHONE, rule="personal_information", start=start, end=len(TEXT),
        excerpt=TEXT[start:], message="Pas de numéro.", fix=None, severity=Severity.FLAG,
    )])
    db.session.commit()
    report_content(hugo, "post", lea_post.id, "personal_information")
    persona_post = _post(school["persona"], "Nous recrutons", Audience.NETWORK)
    persona_case = db.session.get(ModerationCase, report_content(
        school["other_student"], "post", persona_post.id, "spam").case_id)
    return {"mod_case": case, "mod_lea_post": lea_post, "mod_spare_post": spare,
            "mod_hugo_post": hugo_post, "mod_message": message, "mod_persona_case": persona_case}


def _teachers_only(teacher: int | str, other_teacher: int | str | None = None
                   ) -> dict[str, int | str]:
    """Teachers moderate; students report; admins run the server."""
    return {"anonymous": LOGIN, "student": FORBIDDEN, "other_student": FORBIDDEN,
            "other_teacher": teacher if other_teacher is None else other_teacher,
            "teacher": teacher, "admin": FORBIDDEN}


def _this_class(teacher: int | str) -> dict[str, int | str]:
    """A case or a class of Léa's: the other class's teacher does not know it exists."""
    return _teachers_only(teacher, NOT_FOUND)


# Reporting Hugo's connections-only post: Léa may; the other class cannot see it; Hugo's
# teacher moderates it directly; the admin sees every post and may tell its teachers.
def _report_hugo(student: int, admin: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "student": student, "other_student": NOT_FOUND,
            "other_teacher": NOT_FOUND, "teacher": FORBIDDEN, "admin": admin}


CASES: dict[str, list[Case]] = {
    "moderation.report": [
        Case("GET", lambda s: f"/report/post/{s['mod_hugo_post'].id}", _report_hugo(OK, OK)),
        # Léa's own post: hers (403); Hugo already reported it, the others cannot see it.
        Case("GET", lambda s: f"/report/post/{s['mod_lea_post'].id}",
             {**_report_hugo(FORBIDDEN, OK)}),
        # A message: only its recipient (Léa) reports it; nobody else reads it.
        Case("GET", lambda s: f"/report/message/{s['mod_message'].id}",
             {**logged_in(NOT_FOUND), "student": OK}),
        Case("GET", lambda s: f"/report/profile/{s['student'].id}", logged_in(NOT_FOUND)),
        Case("GET", lambda s: "/report/post/99999999", logged_in(NOT_FOUND)),
        Case("POST", lambda s: f"/report/post/{s['mod_hugo_post'].id}", _report_hugo(422, 422),
             data={"reason": ""}),
        Case("POST", lambda s: f"/report/post/{s['mod_hugo_post'].id}",
             _report_hugo(REDIRECT, REDIRECT), data={"reason": "spam"}),
    ],
    "moderation.index": [
        Case("GET", lambda s: "/moderation", _teachers_only(OK)),
        Case("GET", lambda s: f"/moderation?status=all&class_id={s['class'].id}",
             _this_class(OK)),
    ],
    "moderation.case": [
        Case("GET", lambda s: f"/moderation/cases/{s['mod_case'].id}", _this_class(OK)),
        Case("GET", lambda s: f"/moderation/cases/{s['mod_persona_case'].id}",
             _teachers_only(NOT_FOUND, OK)),
        Case("GET", lambda s: "/moderation/cases/99999999", _teachers_only(NOT_FOUND)),
    ],
    "moderation.act": [
        Case("POST", lambda s: f"/moderation/cases/{s['mod_case'].id}/frobnicate",
             _this_class(NOT_FOUND)),
        Case("POST", lambda s: f"/moderation/cases/{s['mod_case'].id}/warn",
             _this_class(422), data={"reason": ""}),
        Case("POST", lambda s: f"/moderation/cases/{s['mod_case'].id}/approve",
             _this_class(REDIRECT)),
        Case("POST", lambda s: f"/moderation/cases/{s['mod_case'].id}/hide",
             _this_class(REDIRECT)),
        *(Case("POST", lambda s, action=action: f"/moderation/cases/"
               f"{s['mod_persona_case'].id}/{action}", _teachers_only(NOT_FOUND, FORBIDDEN))
          for action in ("hide", "delete")),
    ],
    "moderation.hide_content": [
        Case("POST", lambda s: f"/moderation/content/post/{s['mod_spare_post'].id}/hide",
             _this_class(REDIRECT)),
        Case("POST", lambda s: "/moderation/content/post/99999999/hide",
             _teachers_only(NOT_FOUND)),
    ],
    "moderation.audit": [
        Case("GET", lambda s: "/moderation/audit", _teachers_only(OK)),
        Case("GET", lambda s: f"/moderation/audit?class_id={s['class'].id}", _this_class(OK)),
    ],
    "moderation.audit_csv": [
        Case("GET", lambda s: "/moderation/audit.csv", _teachers_only(OK)),
        Case("GET", lambda s: f"/moderation/audit.csv?class_id={s['class'].id}",
             _this_class(OK)),
    ],
    "moderation.warnings": [Case("GET", lambda s: "/moderation/warnings", logged_in(OK))],
}
