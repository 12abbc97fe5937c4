"""The handlers' preloaders: a batch of persona reactions reads the people, personas, companies,
profiles and causes it needs in a few queries for the whole batch, not a few per action."""

from __future__ import annotations

from datetime import timedelta

from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.messages.services import send_message
from sandbox.network import invitations
from sandbox.personas.scheduler import claim_due, run_batch
from tests.personas.reaction_helpers import behave, connected

# Tables that only the preloaders should read (none of these once per action).
PRELOADED = ("FROM users", "FROM personas", "FROM companies", "FROM profiles",
             "FROM profile_", "FROM invitations WHERE invitations.id",
             "FROM messages WHERE messages.id", "FROM classes", "FROM conversations",
             "FROM exercise_teams", "FROM exercise_members", "FROM charter_findings")


def _batch(count_queries, worker: str) -> tuple[int, list[str]]:
    claimed = claim_due(worker, 100, utcnow() + timedelta(hours=48))
    db.session.expunge_all()  # nothing already loaded: the worker starts afresh
    with count_queries() as counter:
        report = run_batch(claimed, worker)
    return report.done, [statement for statement in counter.statements
                         if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]


def _reads_of(statements: list[str], *tables: str) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")
            and any(table in s for table in tables)]


def test_invitation_answers_preload_people_profiles_and_personas(school, factories,
                                                                  count_queries):
    persona = school["persona"]
    behave(persona, min_completeness=90)  # declined or ignored: one event each, no follow-up
    students = [factories.make_student(school["class"]) for _ in range(6)]
    for student in students:
        sent = invitations.send_invitation(student, persona.id, "Bonjour, je m'appelle "
                                           f"{student.first_name}.", send_anyway=True)
        assert sent.invitation is not None
    done, statements = _batch(count_queries, "queries:invitations")
    assert done == 6
    # Besides the batch's own few, each answer reads whether the two are connected and the
    # sender's recent messages (the invitation coach), and writes its answer and event.
    assert len(_reads_of(statements, *PRELOADED)) <= 10
    assert len(statements) <= 6 * 5 + 15


def test_replies_preload_messages_people_and_who_may_write_to_whom(school, factories,
                                                                   count_queries):
    persona = school["persona"]
    behave(persona)
    students = [factories.make_student(school["class"]) for _ in range(6)]
    for student in students:
        connected(student, persona)
        send_message(student, persona.id, "Bonjour, auriez-vous un conseil pour mon stage ?")
    done, statements = _batch(count_queries, "queries:replies")
    assert done == 6
    assert len(_reads_of(statements, *PRELOADED)) <= 10
    assert len(_reads_of(statements, "FROM messages")) <= 6 + 1  # each thread, once
    # Each reply: its thread, the message, its event and notification, the conversation's date.
    assert len(statements) <= 6 * 7 + 15
