"""The handlers' preloaders: a batch of persona reactions reads the people, personas, companies,
profiles and causes it needs in a few queries for the whole batch, not a few per action."""

from __future__ import annotations

from datetime import timedelta

from sandbox.accounts.models import User
from sandbox.classes.models import SchoolClass
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
    # Nothing went wrong: no savepoint per action, only the preloader's (one per kind).
    savepoints = [statement for statement in counter.statements
                  if statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(savepoints) == 2
    return report.done, [statement for statement in counter.statements
                         if statement not in savepoints]


def _reads_of(statements: list[str], *tables: str) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")
            and any(table in s for table in tables)]


def _invitations_answered(ids, factories, count_queries, how_many: int) -> list[str]:
    persona, klass = db.session.get(User, ids[0]), db.session.get(SchoolClass, ids[1])
    for _ in range(how_many):
        student = factories.make_student(klass)
        sent = invitations.send_invitation(student, persona.id, "Bonjour, je m'appelle "
                                           f"{student.first_name}.", send_anyway=True)
        assert sent.invitation is not None
    done, statements = _batch(count_queries, "queries:invitations")
    assert done == how_many
    return statements


def test_invitation_answers_preload_people_profiles_and_personas(school, factories,
                                                                  count_queries):
    behave(school["persona"], min_completeness=90)  # declined or ignored: no follow-up
    ids = (school["persona"].id, school["class"].id)
    three = _invitations_answered(ids, factories, count_queries, 3)
    six = _invitations_answered(ids, factories, count_queries, 6)
    assert len(_reads_of(six, *PRELOADED)) == len(_reads_of(three, *PRELOADED)) <= 10
    # Three answers more, three statements more: each answer's conditional update. Whether
    # the two are connected, the sender's recent invitations (the coach's "copied" hint) are
    # read for the batch, and the events are written together at its end.
    assert len(six) - len(three) == 3
    # After the commit, the kept pages' versions (sandbox/pagecache.py): the answered
    # invitations' people read at once, then one write.
    assert len(six) <= 6 + 17


def _replies_sent(ids, factories, count_queries, how_many: int) -> list[str]:
    persona, klass = db.session.get(User, ids[0]), db.session.get(SchoolClass, ids[1])
    for _ in range(how_many):
        student = factories.make_student(klass)
        connected(student, persona)
        send_message(student, persona.id, "Bonjour, auriez-vous un conseil pour mon stage ?")
    done, statements = _batch(count_queries, "queries:replies")
    assert done == how_many
    return statements


def test_replies_preload_messages_people_and_who_may_write_to_whom(school, factories,
                                                                   count_queries):
    behave(school["persona"])
    ids = (school["persona"].id, school["class"].id)
    three = _replies_sent(ids, factories, count_queries, 3)
    six = _replies_sent(ids, factories, count_queries, 6)
    assert len(_reads_of(six, *PRELOADED)) == len(_reads_of(three, *PRELOADED)) <= 10
    assert len(_reads_of(six, "FROM messages")) == 2  # the messages, then their threads
    # Three replies more, six statements more: each reply's message and its conversation's
    # date; its event and notification are written with the others at the batch's end.
    assert len(six) - len(three) == 6
    assert len(six) <= 6 * 2 + 15
