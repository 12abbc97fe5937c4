"""A persona replies to what a student writes: in character, in their language, the same way
every time (seeded), coolly to rudeness, spam and SMS language."""

from __future__ import annotations

import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterRule, Severity
from sandbox.extensions import db
from sandbox.messages.services import send_message
from sandbox.notifications.models import Notification
from sandbox.personas.gifts import gifts_given
from sandbox.personas.intents import Intent, Tone, language_of, read_messages
from sandbox.personas.models import ActionStatus
from sandbox.personas.replies import compose_reply, speaker_for
from sandbox.personas.triggers import REPLY
from tests.personas.reaction_helpers import (
    MONDAY,
    actions,
    behave,
    connected,
    dated,
    messages_from,
    run_later,
)

COFFEE_FR = ("Bonjour Claire, pourrions-nous prendre un café la semaine prochaine ? "
             "J'aimerais vous poser quelques questions sur votre métier.")


def write(student, persona, body: str):  # type: ignore[no-untyped-def]
    """Send as a student would, past the charter's advice ("send anyway")."""
    return dated(send_message(student, persona.id, body, charter_ack=True))


def insults_only_flagged(klass) -> None:  # type: ignore[no-untyped-def]
    """By default the charter blocks insults; a class may only flag them (they get through)."""
    for rule in db.session.scalars(sa.select(CharterRule).where(CharterRule.class_id == klass.id)):
        if "insult" in rule.checks:
            rule.severity = Severity.FLAG
    db.session.commit()


def setup(school, **behaviour):  # type: ignore[no-untyped-def]
    lea, claire = school["student"], school["persona"]
    behave(claire, **behaviour)
    connected(lea, claire)
    return lea, claire


def test_a_french_coffee_request_gets_a_coffee_proposal_signed_by_the_persona(school):
    lea, claire = setup(school, generosity=100, gifts=["appointment"])
    message = write(lea, claire, COFFEE_FR)
    [action] = actions(REPLY)
    # The message's language and tone, looked at as it arrived: the reply reads them back.
    assert action.payload == {"message_id": message.id,
                              "looked": {"lang": "fr", "tone": "normal"}}
    assert action.dedupe_key == f"reply:{message.id}"
    assert run_later(hours=0) == 0  # not read yet

    run_later()
    [reply] = messages_from(claire)
    assert reply.recipient_id == lea.id
    assert reply.body == (
        "Bonjour Lea, et merci pour votre message.\n\n"
        "Je peux vous accorder une demi-heure mardi 9 mars à 12 h 30, dans nos locaux de "
        "Lyon. Dites-moi si ce créneau vous va.\n\n"
        "Bonne journée,\nClaire"
    )


def test_the_same_situation_gives_the_same_reply(school):
    lea, claire = setup(school, generosity=50)
    message = write(lea, claire, COFFEE_FR + " Auriez-vous aussi un conseil pour mon CV ?")
    reading = read_messages([message.body], [], lea.locale)
    texts = set()
    for _ in range(3):
        speaker = speaker_for(claire, lea, reading.lang, "reply", message.id,
                              today=MONDAY.date())
        texts.add(compose_reply(speaker, reading, gifts_given(lea, claire)).text)
    assert len(texts) == 1


def test_an_english_message_gets_an_english_reply(school):
    lea, claire = setup(school, generosity=100, gifts=["advice"])
    write(lea, claire, "Hello Claire, I'm looking for an internship. Any advice for my "
                       "application?")
    run_later()
    [reply] = messages_from(claire)
    assert reply.body.split("\n\n")[0] in ("Hello Lea,", "Hi Lea, thanks for your message.",
                                          "Dear Lea,")
    assert "Claire" in reply.body and "Bonjour" not in reply.body


def test_the_language_falls_back_on_the_student_s_own_then_french(school):
    assert language_of("ok", "en") == "en"
    assert language_of("ok", None) == "fr"
    assert language_of("Bonjour, je cherche un stage.", "en") == "fr"
    assert language_of("Hello, I am looking for an internship.", "fr") == "en"


def test_requests_are_read_in_french_and_english():
    read = read_messages(["Pourriez-vous me mettre en relation avec quelqu'un de votre réseau ? "
                          "Et avez-vous un modèle de CV ?"], [], None)
    assert read.tone is Tone.NORMAL and read.lang == "fr"
    assert read.intents == (Intent.INTRODUCTION, Intent.DOCUMENT)
    read = read_messages(["Hi! Could we meet for a coffee? I'm struggling a bit."], [], None)
    assert read.lang == "en"
    assert read.intents == (Intent.APPOINTMENT, Intent.SUPPORT, Intent.GREETING)
    # Introducing oneself is not asking to be introduced.
    assert Intent.INTRODUCTION not in read_messages(
        ["Bonjour, je me présente : Léa, en BTS."], [], None).intents


def test_an_insult_gets_one_cool_answer_then_silence(school):
    lea, claire = setup(school, generosity=100, rudeness="cool")
    insults_only_flagged(school["class"])
    write(lea, claire, "Espèce de connard, réponds-moi")
    run_later()
    [cool] = messages_from(claire)
    assert "ton" in cool.body and "Bonjour Lea" in cool.body
    reply_event = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.user_id == claire.id, ActivityEvent.kind == "message_sent"))
    assert reply_event.data["tone"] == "rude"

    write(lea, claire, "T'es qu'une idiote")
    run_later()
    assert len(messages_from(claire)) == 1  # no second answer
    assert actions(REPLY)[-1].status is ActionStatus.DONE


def test_a_silent_persona_does_not_answer_rudeness(school):
    lea, claire = setup(school, rudeness="silent")
    insults_only_flagged(school["class"])
    write(lea, claire, "Espèce de connard")
    run_later()
    assert messages_from(claire) == []


def answered_coolly_about_sms(student, persona) -> None:  # type: ignore[no-untyped-def]
    """The persona's one reply asks for a professional register, and gives nothing."""
    [reply] = messages_from(persona)
    assert "SMS" in reply.body or "phrases complètes" in reply.body
    assert gifts_given(student, persona) == set()


def test_sms_language_gets_a_cool_answer_without_gifts(school):
    lea, claire = setup(school, generosity=100, gifts=["appointment", "recruitment"])
    write(lea, claire, "slt, t dispo pr 1 café ? mdr")
    run_later()
    answered_coolly_about_sms(lea, claire)


def test_the_reply_reads_the_tone_seen_on_arrival_for_a_lone_message(school):
    lea, claire = setup(school, generosity=100, gifts=["appointment"])
    write(lea, claire, COFFEE_FR)
    [action] = actions(REPLY)
    assert action.payload["looked"] == {"lang": "fr", "tone": "normal"}
    # Had it arrived in SMS language, the persona would have answered coolly: the reply
    # reads the look taken then (the charter's checks run once per message, not again).
    action.payload = {**action.payload, "looked": {"lang": "fr", "tone": "sms"}}
    db.session.commit()
    run_later()
    answered_coolly_about_sms(lea, claire)


def test_a_look_taken_on_arrival_is_not_used_for_several_messages(school):
    lea, claire = setup(school, generosity=100, gifts=["appointment"])
    write(lea, claire, "slt, t dispo pr 1 café ? mdr")
    write(lea, claire, COFFEE_FR)
    first, second = actions(REPLY)
    assert first.payload["looked"]["tone"] == "sms"
    second.payload = {**second.payload, "looked": {"lang": "en", "tone": "normal"}}
    db.session.commit()
    run_later()
    # Both unanswered messages are read together, afresh: French, and SMS language.
    answered_coolly_about_sms(lea, claire)


def test_a_burst_of_messages_gets_one_reply_and_repetition_is_spam(school):
    lea, claire = setup(school, generosity=0)
    for text in ("Bonjour Claire", "Vous êtes là ?", "Je voudrais un stage", "Allô ?"):
        write(lea, claire, text)
    assert len(actions(REPLY)) == 4
    run_later()
    [reply] = messages_from(claire)
    assert "plusieurs fois" in reply.body  # four unanswered messages in a row: spam
    assert [a.status for a in actions(REPLY)].count(ActionStatus.DONE) == 1

    write(lea, claire, "Je voudrais un stage")  # the same text again
    run_later()
    assert len(messages_from(claire)) == 1  # one cool answer was enough


def test_a_reply_is_delivered_like_a_person_s_message(school):
    lea, claire = setup(school)
    write(lea, claire, "Merci beaucoup pour votre aide !")
    run_later()
    [reply] = messages_from(claire)
    assert db.session.scalar(sa.select(Notification).where(
        Notification.user_id == lea.id, Notification.kind == "message_received",
        Notification.subject_id == reply.id)) is not None
    assert "plaisir" in reply.body or "Merci à vous" in reply.body or "prie" in reply.body


def test_a_played_persona_replies_only_once_handed_back_to_what_nobody_answered(school):
    lea, claire = setup(school)
    hugo = school["classmate"]
    connected(hugo, claire)
    claire.persona.autopilot = False  # a teacher plays her
    db.session.commit()
    write(lea, claire, "Bonjour, auriez-vous un conseil ?")
    write(hugo, claire, "Bonjour, auriez-vous un conseil pour mon CV ?")
    assert run_later() == 0
    assert [a.status for a in actions(REPLY)] == [ActionStatus.PENDING] * 2
    assert messages_from(claire) == []
    # The teacher answers Hugo, as Claire.
    send_message(claire, hugo.id, "Bonjour Hugo, envoyez-moi votre CV.")

    claire.persona.autopilot = True  # handed back
    db.session.commit()
    run_later(hours=200)
    to_lea, to_hugo = actions(REPLY)
    assert (to_lea.status, to_hugo.status) == (ActionStatus.DONE, ActionStatus.CANCELLED)
    assert [m.recipient_id for m in messages_from(claire)] == [hugo.id, lea.id]


def test_a_lost_connection_means_no_automatic_reply(school):
    lea, claire = setup(school)
    write(lea, claire, "Bonjour, auriez-vous un conseil ?")
    from sandbox.network.invitations import remove_connection
    remove_connection(lea, claire.id)
    run_later()
    assert actions(REPLY)[-1].status is ActionStatus.CANCELLED
    assert messages_from(claire) == []


def test_teachers_writing_to_a_persona_get_no_automatic_reply(school):
    teacher, claire = school["teacher"], school["persona"]
    behave(claire)
    connected(teacher, claire)
    send_message(teacher, claire.id, "Bonjour Claire")
    assert actions(REPLY) == []


def test_french_replies_follow_french_typography():
    from sandbox.personas.replies import render

    assert render("Conseil de {me_full} : {said}", {"me_full": "Inès Belkacem", "said": "ok"},
                  "fr") == "Conseil d'Inès Belkacem\u00a0: ok"
    assert render("la page de {company} !", {"company": "Yverdon SA"}, "fr") == \
        "La page de Yverdon SA\u00a0!"
    assert render("Advice from {me_full}: go!", {"me_full": "Inès B"}, "en") == \
        "Advice from Inès B: go!"
