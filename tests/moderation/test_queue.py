"""The teacher's queue: their classes' cases, open first, the findings highlighted and escaped,
the rules named in the reader's language, the reports with their reporters; a fixed number of
queries whatever the number of cases."""

from __future__ import annotations

import re

import pytest

from sandbox.charter.engine import Category
from sandbox.extensions import db
from sandbox.moderation.models import CaseStatus, ContentKind
from sandbox.charter.display import highlight
from sandbox.moderation.reports import report_content
from sandbox.moderation.services import flag_content
from tests.moderation.conftest import finding


def flagged_post(author, content, text="Appelle-moi au 06 12 34 56 78", words="06 12 34 56 78"):
    post = content.post(author, text)
    case = flag_content(author, ContentKind.POST, post.id, text, [finding(text, words)])
    db.session.commit()
    return post, case


def test_highlight_cuts_the_excerpt_at_each_finding():
    text = "Tel 0612345678 et mail a@b.fr"
    findings = [
        {"category": "email", "start": 23, "end": 29, "excerpt": "a@b.fr"},
        {"category": "phone", "start": 4, "end": 14, "excerpt": "0612345678"},
    ]
    segments, placed = highlight(text, findings)
    assert [(s.text, s.category) for s in segments] == [
        ("Tel ", None), ("0612345678", "phone"), (" et mail ", None), ("a@b.fr", "email"),
    ]
    assert placed == {0, 1}


@pytest.mark.parametrize("bad", [
    {"category": "phone", "start": 5, "end": 500},  # beyond the text
    {"category": "phone", "start": -1, "end": 3},
    {"category": "phone", "start": 3, "end": 3},
    {"category": "phone", "start": "1", "end": 3},
    {"category": "phone", "start": True, "end": 3},
    {"category": "phone", "start": 0, "end": 4, "excerpt": "else"},  # the text changed since
    {"category": "phone"},
])
def test_highlight_ignores_spans_that_do_not_fit(bad):
    segments, placed = highlight("Some text", [bad])
    assert [(s.text, s.category) for s in segments] == [("Some text", None)] and not placed


def test_highlight_drops_overlaps_and_unknown_categories_get_a_safe_class():
    segments, placed = highlight("abcdef", [
        {"category": "<x>", "start": 0, "end": 3},
        {"category": "phone", "start": 2, "end": 5},
    ])
    assert [(s.text, s.category) for s in segments] == [("abc", "other"), ("def", None)]
    assert placed == {0}


def test_the_queue_shows_the_case_escaped_with_its_findings_and_reports(people, content,
                                                                        client_as):
    lea, hugo, teacher = people["student"], people["classmate"], people["teacher"]
    text = "<script>x</script> appelle le 06 12 34 56 78"
    post, case = flagged_post(lea, content, text)
    report_content(hugo, "post", post.id, "personal_information", "Son numéro")
    page = client_as(teacher).get("/moderation").get_data(as_text=True)
    assert "&lt;script&gt;x&lt;/script&gt; appelle le " in page and "<script>x" not in page
    assert re.search(r'<mark class="mod-mark mod-mark--phone">06 12 34 56 78</mark>'
                     r'<span class="mod-mark__label"> \[Phone number\]</span>', page)
    assert "Rule: No personal information" in page  # the class rule, in English
    assert '<option value="personal_information" selected>No personal information' in page
    assert "Do not publish a phone number." in page
    assert "Hugo Petit" in page and "Son numéro" in page  # teachers see who reported
    assert "Personal information (phone, address, e-mail) (1)" in page
    assert f'href="/posts/{post.id}"' in page
    for action in ("approve", "hide", "delete", "warn"):
        assert f"/moderation/cases/{case.id}/{action}" in page
    assert f"/moderation/cases/{case.id}/restore" not in page


def test_the_rule_is_named_in_the_readers_language(people, content, client_as):
    teacher = people["teacher"]
    flagged_post(people["student"], content)
    teacher.locale = "fr"
    db.session.commit()
    page = client_as(teacher).get("/moderation").get_data(as_text=True)
    assert "Aucune information personnelle" in page


def test_teachers_see_the_real_name_behind_a_pseudonym(people, content, client_as):
    lea, hugo = people["student"], people["classmate"]
    lea.pseudonym, hugo.pseudonym = "Lélé", "Hug0"
    db.session.commit()
    post, _ = flagged_post(lea, content)
    report_content(hugo, "post", post.id, "spam")
    page = client_as(people["teacher"]).get("/moderation").get_data(as_text=True)
    assert "Post by Lélé (Lea Martin)" in page and "Hug0 (Hugo Petit)" in page


def test_a_teacher_sees_only_the_cases_of_their_classes(people, content, client_as):
    flagged_post(people["student"], content, "Mine 06 12 34 56 78")
    flagged_post(people["other_student"], content, "Other 07 12 34 56 78", "07 12 34 56 78")
    mine = client_as(people["teacher"]).get("/moderation").get_data(as_text=True)
    theirs = client_as(people["other_teacher"]).get("/moderation").get_data(as_text=True)
    assert "Mine " in mine and "Other " not in mine
    assert "Other " in theirs and "Mine " not in theirs


def test_open_cases_come_first_and_the_status_filters(people, content, client_as):
    lea = people["student"]
    _, settled = flagged_post(lea, content, "Settled 06 12 34 56 78")
    flagged_post(lea, content, "Waiting 06 12 34 56 78")
    settled.status = CaseStatus.APPROVED
    db.session.commit()
    client = client_as(people["teacher"])
    default = client.get("/moderation").get_data(as_text=True)
    assert "Waiting " in default and "Settled " not in default
    everything = client.get("/moderation?status=all").get_data(as_text=True)
    assert everything.index("Waiting ") < everything.index("Settled ")
    approved = client.get("/moderation?status=approved").get_data(as_text=True)
    assert "Settled " in approved and "Waiting " not in approved


def test_a_teacher_of_several_classes_filters_by_class(people, content, factories, client_as):
    teacher = people["teacher"]
    second = factories.make_class(teacher, name="BTS NDRC 1")
    sam = factories.make_student(second, username="sam.durand")
    flagged_post(people["student"], content, "First 06 12 34 56 78")
    flagged_post(sam, content, "Second 06 12 34 56 78")
    client = client_as(teacher)
    both = client.get("/moderation").get_data(as_text=True)
    assert "First " in both and "Second " in both and 'name="class_id"' in both
    only = client.get(f"/moderation?class_id={second.id}").get_data(as_text=True)
    assert "Second " in only and "First " not in only
    assert client.get(f"/moderation?class_id={people['other_class'].id}").status_code == 404


def test_the_queue_runs_a_fixed_number_of_queries(people, content, factories, client_as,
                                                 count_queries):
    lea, hugo, teacher = people["student"], people["classmate"], people["teacher"]
    client = client_as(teacher)

    def add_case(number):
        post, _ = flagged_post(lea, content, f"Post {number} 06 12 34 56 78")
        report_content(hugo, "post", post.id, "spam")
        comment = content.comment(lea, post, f"Comment {number} 06 12 34 56 78")
        flag_content(lea, ContentKind.COMMENT, comment.id, comment.body,
                     [finding(comment.body, "06 12 34 56 78")])
        db.session.commit()

    add_case(0)
    with count_queries() as one:
        assert client.get("/moderation").status_code == 200
    for number in range(1, 8):
        add_case(number)
    with count_queries() as many:
        page = client.get("/moderation").get_data(as_text=True)
    assert page.count('class="card mod-case') == 16
    assert many.count == one.count


def test_the_case_page_shows_the_history(people, content, client_as):
    lea, hugo = people["student"], people["classmate"]
    post, case = flagged_post(lea, content)
    report_content(hugo, "post", post.id, "spam")
    page = client_as(people["teacher"]).get(f"/moderation/cases/{case.id}").get_data(as_text=True)
    assert "History (2 entries)" in page
    assert "Flagged by the charter" in page and "Reported" in page


def test_other_kinds_can_only_be_approved_or_warned(people, content, client_as):
    lea = people["student"]
    text = "Mon profil : 06 12 34 56 78"
    case = flag_content(lea, ContentKind.PROFILE, lea.id, text, [finding(text, "06 12 34 56 78")])
    db.session.commit()
    page = client_as(people["teacher"]).get(f"/moderation/cases/{case.id}").get_data(as_text=True)
    assert f"/moderation/cases/{case.id}/approve" in page
    assert f"/moderation/cases/{case.id}/warn" in page
    assert f"/moderation/cases/{case.id}/hide" not in page
    assert f"/moderation/cases/{case.id}/delete" not in page
    assert "Profile by" in page and f'href="/people/{lea.id}"' in page
    assert Category.PHONE.value in page


def test_students_and_admins_never_read_the_queue_nor_the_findings(people, content, client_as):
    _, case = flagged_post(people["student"], content)
    for role in ("student", "classmate", "other_student", "admin"):
        client = client_as(people[role])
        for url in ("/moderation", f"/moderation/cases/{case.id}"):
            answer = client.get(url)
            assert answer.status_code == 403, (role, url)
            assert "06 12 34 56 78" not in answer.get_data(as_text=True)
    other_teacher = client_as(people["other_teacher"])
    assert other_teacher.get(f"/moderation/cases/{case.id}").status_code == 404


def test_the_menu_counts_the_open_cases_of_the_teachers_classes(people, content, client_as):
    from flask import render_template_string

    from sandbox.moderation.services import open_count

    _, settled = flagged_post(people["student"], content, "One 06 12 34 56 78")
    flagged_post(people["student"], content, "Two 06 12 34 56 78")
    flagged_post(people["other_student"], content, "Three 06 12 34 56 78")
    settled.status = CaseStatus.APPROVED
    db.session.commit()
    assert open_count(people["teacher"]) == 1 and open_count(people["other_teacher"]) == 1
    assert open_count(people["student"]) == 0 and open_count(people["admin"]) == 0
    with client_as(people["teacher"]).application.test_request_context():
        assert render_template_string("{{ moderation_open_count() }}") == "0"  # anonymous
