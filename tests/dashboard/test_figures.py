"""The figures the overview, the charts and the grade read, from real actions."""

from __future__ import annotations

from datetime import timedelta

from sandbox.charter.models import FindingOutcome
from sandbox.core.time import utcnow
from sandbox.dashboard.figures import Period, class_figures
from sandbox.extensions import db
from sandbox.network.invitations import answer_invitation, send_invitation
from sandbox.network.models import InvitationStatus
from sandbox.posts.services import create_post


def test_counts_come_from_what_students_did(school):
    lea, hugo, claire = school["student"], school["classmate"], school["persona"]
    create_post(lea, body="Je cherche un stage en commerce international pour le printemps.",
                audience="network")
    sent = send_invitation(lea, claire.id, "Bonjour, votre parcours m'intéresse beaucoup.",
                           send_anyway=True)
    answer_invitation(school["teacher"], sent.invitation.id, InvitationStatus.ACCEPTED)
    send_invitation(lea, hugo.id, "", send_anyway=True)

    figures = class_figures(school["class"])

    assert list(figures) == sorted(figures, key=lambda i: (figures[i].student.last_name,
                                                           figures[i].student.first_name, i))
    mine = figures[lea.id]
    assert (mine.posts, mine.invitations_sent, mine.invitations_personal) == (1, 2, 1)
    assert (mine.invitations_accepted, mine.connections_professionals) == (1, 1)
    assert mine.connections_students == 0 and mine.last_activity is not None
    assert figures[hugo.id].posts == 0


def test_a_period_leaves_out_what_happened_before(school):
    lea = school["student"]
    create_post(lea, body="Une publication ancienne sur mon projet professionnel.",
                audience="network")
    later = Period(start=utcnow() + timedelta(minutes=1))
    assert class_figures(school["class"], later)[lea.id].posts == 0


def test_refused_then_fixed_findings_are_counted_by_outcome(school):
    import pytest

    from sandbox.charter.gate import CharterRefusal

    lea = school["student"]
    with pytest.raises(CharterRefusal):
        create_post(lea, body="Appelez-moi au 06 12 34 56 78 pour mon stage.",
                    audience="network")
    create_post(lea, body="Écrivez-moi par message privé pour mon stage.", audience="network")
    db.session.expire_all()
    findings = class_figures(school["class"])[lea.id].findings
    assert findings[("phone", FindingOutcome.FIXED.value)] == 1


def test_a_flagged_text_the_teacher_approved_costs_nothing_in_the_grade(school):
    import sqlalchemy as sa

    from sandbox.charter.models import CharterRule, Severity
    from sandbox.moderation.models import CaseStatus, ModerationCase

    rule = db.session.scalars(sa.select(CharterRule).where(
        CharterRule.class_id == school["class"].id,
        CharterRule.code == "no_sms_language")).one()
    rule.severity = Severity.FLAG
    db.session.commit()
    lea = school["student"]
    create_post(lea, body="slt tout le monde, jsp si je viens demain.", audience="network")
    flagged = class_figures(school["class"])[lea.id]
    assert flagged.findings_by_severity[("flag", "flagged")] >= 1

    case = db.session.scalars(sa.select(ModerationCase)).one()
    case.status = CaseStatus.APPROVED
    db.session.commit()
    approved = class_figures(school["class"])[lea.id]
    assert approved.findings == flagged.findings  # still shown, with what became of it
    assert approved.findings_by_severity[("flag", "flagged")] == 0
