"""Known activity for the grading tests, written straight to the tables the figures read."""

from __future__ import annotations

from datetime import datetime

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.charter.models import CharterFinding, FindingOutcome, Severity
from sandbox.extensions import db
from sandbox.network.models import FollowedCompany, FollowedPerson, Invitation
from sandbox.network.services import connect

WHEN = datetime(2026, 10, 5, 10, 0)


def events(student: User, kind: str, count: int, when: datetime = WHEN, **data: object) -> None:
    db.session.add_all(ActivityEvent(user_id=student.id, class_id=student.class_id, kind=kind,
                                     data=dict(data), created_at=when) for _ in range(count))


def finding(student: User, severity: Severity, outcome: FindingOutcome,
            when: datetime = WHEN) -> None:
    db.session.add(CharterFinding(user_id=student.id, class_id=student.class_id,
                                  content_kind="post", category="spelling", severity=severity,
                                  outcome=outcome, created_at=when))


def lea_and_hugo(school: dict, factories) -> None:  # type: ignore[no-untyped-def]
    """Léa: a third of a profile, a small network, some posts, follows and findings.
    Hugo: only his connection with Léa."""
    lea, hugo, claire = school["student"], school["classmate"], school["persona"]
    profile = lea.profile
    profile.headline = "Étudiante en BTS Commerce international"  # 15 points
    profile.about = ("Je prépare un BTS Commerce international et je cherche un stage à "
                     "l'export pour le printemps prochain.")  # 15 points
    profile.city = "Lyon"  # 5 points: 35 %
    connect(lea, hugo)
    connect(lea, claire)
    db.session.add_all([
        Invitation(sender_id=lea.id, recipient_id=claire.id, message="Bonjour, votre métier "
                   "m'intéresse.", created_at=WHEN),
        Invitation(sender_id=lea.id, recipient_id=hugo.id, message="Salut Hugo, on se "
                   "connecte ?", created_at=WHEN),
        Invitation(sender_id=lea.id, recipient_id=school["other_student"].id, message="",
                   created_at=WHEN),
    ])
    events(lea, "post_created", 2, audience="network")
    events(lea, "post_created", 1, audience="group")
    events(lea, "commented", 5)
    events(lea, "post_shared", 1)
    db.session.add(FollowedPerson(follower_id=lea.id, followed_id=claire.id))
    db.session.add_all(FollowedCompany(follower_id=lea.id, company_id=factories.make_company().id)
                       for _ in range(3))
    finding(lea, Severity.COACH, FindingOutcome.OVERRIDDEN)  # 1 point off
    finding(lea, Severity.BLOCK, FindingOutcome.FIXED)  # 4 x 1/4 = 1
    finding(lea, Severity.FLAG, FindingOutcome.FLAGGED)  # 2
    db.session.commit()
