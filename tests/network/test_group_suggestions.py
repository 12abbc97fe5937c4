"""Suggestions count the groups two people are active members of."""

from __future__ import annotations

from sandbox.extensions import db
from sandbox.groups.models import GroupMembership, JoinPolicy, MembershipStatus
from sandbox.groups.services import create_group
from sandbox.network.suggestions import suggestions_for


def _group(school, name: str):  # type: ignore[no-untyped-def]
    return create_group(school["teacher"], name, "Un groupe de la classe.", "", JoinPolicy.OPEN)


def _member(group, user, status=MembershipStatus.ACTIVE) -> None:  # type: ignore[no-untyped-def]
    db.session.add(GroupMembership(group_id=group.id, user_id=user.id, status=status))


def test_shared_groups_are_a_reason(client_as, school, factories):
    lea, hugo = school["student"], school["classmate"]
    quiet = factories.make_student(school["class"])
    first, second, third = (_group(school, name) for name in ("Export", "Stages", "Douane"))
    for group in (first, second):
        _member(group, lea)
        _member(group, hugo)
    _member(third, lea)
    _member(third, quiet, MembershipStatus.PENDING)  # a request is not membership
    _member(first, school["other_student"])  # outside Léa's scope: never suggested
    db.session.commit()

    found = suggestions_for(lea)
    assert [(s.user.id, s.groups) for s in found] == [(hugo.id, 2)]
    [reason] = found[0].reasons  # "2 groups in common", in the reader's language
    assert reason.startswith("2 ")
    page = client_as(lea).get("/network/").get_data(as_text=True)
    assert f"/network/invite/{hugo.id}" in page
    assert f"/network/invite/{school['other_student'].id}" not in page


def test_group_counts_keep_suggestions_to_a_fixed_number_of_queries(school, factories,
                                                                     count_queries):
    lea = school["student"]
    group = _group(school, "Export")
    _member(group, lea)
    _member(group, school["classmate"])
    db.session.commit()
    db.session.expire_all()
    with count_queries() as few:
        suggestions_for(lea)
    for _ in range(8):
        _member(group, factories.make_student(school["class"]))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as many:
        assert len(suggestions_for(lea)) == 9
    assert many.count == few.count, many.statements
