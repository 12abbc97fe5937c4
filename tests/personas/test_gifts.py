"""What a persona gives when asked: recorded in the student's journal, once per kind."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.companies.models import JobKind, JobOffer
from sandbox.extensions import db
from sandbox.jobs.models import Application
from sandbox.messages.services import send_message
from sandbox.network.journal import own_journal
from sandbox.network.models import Introduction, NetworkOutcome, OutcomeKind
from sandbox.notifications.models import Notification
from sandbox.personas.behaviour import BehaviourProfile, GiftKind, persona_random
from sandbox.personas.gifts import gifts_given, open_offers_for, prepare
from tests.personas.reaction_helpers import (
    MONDAY,
    behave,
    connected,
    dated,
    messages_from,
    run_later,
)


def ask(student, persona, body: str) -> str:  # type: ignore[no-untyped-def]
    """Write to the persona, let it reply; its reply."""
    dated(send_message(student, persona.id, body, charter_ack=True))
    run_later()
    return messages_from(persona)[-1].body


def outcomes(student) -> list[NetworkOutcome]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return list(db.session.scalars(sa.select(NetworkOutcome).where(
        NetworkOutcome.student_id == student.id).order_by(NetworkOutcome.id)))


def offer(company, title: str, **fields) -> JobOffer:  # type: ignore[no-untyped-def]
    made = JobOffer(slug=title.lower().replace(" ", "-"), company_id=company.id, title=title,
                    kind=JobKind.INTERNSHIP, city="Lyon", **fields)
    db.session.add(made)
    db.session.commit()
    return made


def test_a_gift_is_written_in_the_journal_once_per_kind(school):
    lea, claire = school["student"], school["persona"]
    behave(claire, generosity=100, gifts=["appointment"])
    connected(lea, claire)
    first = ask(lea, claire, "Bonjour Claire, pourrions-nous prendre un café ?")
    [coffee] = outcomes(lea)
    assert coffee.kind is OutcomeKind.APPOINTMENT and coffee.contact_id == claire.id
    assert coffee.occurred_on is not None and coffee.occurred_on > MONDAY.date()
    assert "Claire Recruteuse" in coffee.note and "mars" in coffee.note
    assert coffee.occurred_on.strftime("%-d") in first  # the day proposed is the day noted

    second = ask(lea, claire, "Merci ! Et sinon, on pourrait se voir autour d'un café ?")
    assert len(outcomes(lea)) == 1  # never the same gift twice
    assert "déjà proposé un rendez-vous" in second or "rien ne change" in second

    event = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.user_id == lea.id, ActivityEvent.kind == "gift_received"))
    assert event.subject_type == "NetworkOutcome" and event.subject_id == coffee.id
    assert event.data == {"outcome": "appointment", "contact_id": claire.id}
    notification = db.session.scalar(sa.select(Notification).where(
        Notification.user_id == lea.id, Notification.kind == "gift_received"))
    assert notification.actor_id == claire.id and notification.subject_id == coffee.id


def test_deleting_the_journal_line_does_not_earn_the_gift_again(school):
    from sandbox.network.journal import delete_outcome

    lea, claire = school["student"], school["persona"]
    behave(claire, generosity=100, gifts=["advice"])
    connected(lea, claire)
    ask(lea, claire, "Auriez-vous un conseil pour ma recherche de stage ?")
    delete_outcome(lea, outcomes(lea)[0].id)
    ask(lea, claire, "Un autre conseil, peut-être ?")
    assert outcomes(lea) == []
    assert gifts_given(lea, claire) == {GiftKind.ADVICE}


def test_the_student_sees_the_gift_in_their_journal(school):
    lea, claire = school["student"], school["persona"]
    behave(claire, generosity=100, gifts=["support"])
    connected(lea, claire)
    ask(lea, claire, "Je suis un peu découragée, je ne trouve pas de stage.")
    [line] = own_journal(lea).lines
    assert line.kind is OutcomeKind.SUPPORT and line.contact_id == claire.id
    assert line.contact_name == "Claire Recruteuse"
    assert line.note.startswith(("Encouragements reçus de Claire Recruteuse",
                                 "Message de soutien envoyé par Claire Recruteuse"))


def test_an_introduction_is_made_to_a_friend_the_student_does_not_know_yet(school, factories):
    lea, claire = school["student"], school["persona"]
    known = factories.make_persona(username="deja.connu", first_name="Déjà", last_name="Connu")
    friend = factories.make_persona(username="marc.ami", first_name="Marc", last_name="Ami")
    behave(claire, generosity=100, gifts=["introduction"], friends=["deja.connu", "marc.ami"])
    connected(lea, claire)
    connected(lea, known)
    reply = ask(lea, claire,
                "Pourriez-vous me mettre en relation avec quelqu'un de votre réseau ?")
    assert "Marc Ami" in reply and "Connu" not in reply
    introduction = db.session.scalar(sa.select(Introduction))
    assert (introduction.student_id, introduction.introduced_id) == (lea.id, friend.id)
    [outcome] = outcomes(lea)
    assert outcome.kind is OutcomeKind.NAME_AND_NUMBER and "Marc Ami" in outcome.note
    assert introduction.note == outcome.note
    told = {(n.user_id, n.kind) for n in db.session.scalars(sa.select(Notification))}
    assert {(lea.id, "introduced_to"), (friend.id, "introduced"),
            (lea.id, "gift_received")} <= told


def test_no_friend_left_to_meet_means_no_introduction(school, factories):
    lea, claire = school["student"], school["persona"]
    friend = factories.make_persona(username="marc.ami")
    behave(claire, generosity=100, gifts=["introduction"], friends=["marc.ami"])
    connected(lea, claire)
    connected(lea, friend)
    reply = ask(lea, claire, "Pourriez-vous me présenter à quelqu'un de votre réseau ?")
    assert outcomes(lea) == [] and db.session.scalar(sa.select(Introduction)) is None
    assert "Bonjour Lea" in reply  # a polite answer all the same


def test_an_open_offer_the_student_may_see_is_pointed_out(school):
    lea, claire = school["student"], school["persona"]
    company = claire.persona.company
    offer(company, "Stage closed", is_open=False)
    offer(company, "Stage other class", class_id=school["other_class"].id)
    applied = offer(company, "Stage applied")
    db.session.add(Application(offer_id=applied.id, student_id=lea.id, cover_letter="Bonjour"))
    open_one = offer(company, "Stage import export")
    db.session.commit()
    assert [o.id for o in open_offers_for(claire, lea)] == [open_one.id]

    behave(claire, generosity=100, gifts=["recruitment"])
    connected(lea, claire)
    reply = ask(lea, claire, "Bonjour, recrutez-vous des stagiaires en ce moment ?")
    assert "«\u00a0Stage import export\u00a0»" in reply  # French typography
    [outcome] = outcomes(lea)
    assert outcome.kind is OutcomeKind.RECRUITMENT and "Stage import export" in outcome.note


def test_without_an_open_offer_a_recruiter_shares_a_key_date_instead(school):
    lea, claire = school["student"], school["persona"]
    behave(claire, generosity=100, gifts=["recruitment", "key_date"])
    connected(lea, claire)
    ask(lea, claire, "Bonjour, recrutez-vous des alternants cette année ?")
    [outcome] = outcomes(lea)
    assert outcome.kind is OutcomeKind.KEY_DATE and outcome.occurred_on.weekday() < 5


def test_a_document_is_sent_in_the_reply_and_noted(school):
    lea, claire = school["student"], school["persona"]
    behave(claire, generosity=100, gifts=["document"])
    connected(lea, claire)
    reply = ask(lea, claire, "Auriez-vous un modèle de CV à me conseiller ?")
    [outcome] = outcomes(lea)
    assert outcome.kind is OutcomeKind.DOCUMENT
    assert "\n1. " in reply or claire.persona.company.name in reply


def test_a_persona_gives_only_what_it_can_and_by_generosity(school):
    lea, claire = school["student"], school["persona"]
    behave(claire, generosity=100, gifts=["advice"])  # no coffee with this one
    connected(lea, claire)
    ask(lea, claire, "Pourrions-nous prendre un café ?")
    assert outcomes(lea) == []
    behave(claire, generosity=0, gifts=["advice"])
    ask(lea, claire, "Auriez-vous un conseil ?")
    assert outcomes(lea) == []


def test_gift_details_are_drawn_from_the_seed(school):
    lea, claire = school["student"], school["persona"]
    behave(claire, gifts=["appointment"])
    profile = BehaviourProfile.of(claire.persona)
    gifts = [prepare(GiftKind.APPOINTMENT, claire, lea, profile, persona_random("x", 1), "en",
                     MONDAY.date()) for _ in range(2)]
    assert gifts[0].fields == gifts[1].fields
    assert gifts[0].fields["when"].endswith(("am", "pm"))
    assert gifts[0].occurred_on.weekday() < 5
