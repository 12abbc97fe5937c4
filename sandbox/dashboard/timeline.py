"""A student's activity events as readable sentences.

An event says what the student did and names its subject by id; a line says it in a sentence,
names people as the teacher may read them (`name_for`), links to the subject when it still
exists and the teacher may open it, and says when it was deleted or hidden since. The subjects
are loaded beforehand (`student_subjects.load_subjects`), one query per type for the page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from sandbox.activity.models import ActivityEvent
from sandbox.charter.display import category_label
from sandbox.dashboard import timeline_jobs
from sandbox.moderation.content import KIND_LABELS, parse_kind
from sandbox.moderation.reports import reason_label
from sandbox.network.journal import OUTCOME_LABELS

if TYPE_CHECKING:
    from sandbox.dashboard.student_subjects import Subjects

STATE_LABELS = {"deleted": _l("deleted"), "hidden": _l("hidden by a teacher")}
_PLAYING = _l("%(sentence)s (playing %(persona)s)")


@dataclass(frozen=True)
class Sentence:
    text: str
    link: str | None = None
    quote: str | None = None  # the student's post or comment, when the teacher may read it
    state: str | None = None  # "deleted" or "hidden" (see STATE_LABELS)

    @property
    def state_label(self) -> str | None:
        return str(STATE_LABELS[self.state]) if self.state else None


def describe(event: ActivityEvent, subjects: Subjects) -> Sentence:
    """The event as a sentence about the student; an unknown kind still reads as something.

    Done while playing a persona (`played_by` in its data), it says which persona.
    """
    data = event.data or {}
    sentence = Sentence(str(_l("Other activity (%(kind)s)", kind=event.kind)))
    if event.kind in _SIMPLE:
        sentence = Sentence(str(_SIMPLE[event.kind]))
    for table, describer in _TABLES:
        if event.kind in table:
            sentence = describer(event, data, subjects, table[event.kind])
            break
    if data.get("played_by") is None:
        return sentence
    # Recorded on the persona, with the real person in `played_by` (or, recorded on the real
    # person, with the persona in `persona_id`).
    persona = event.user_id if event.user_id != data["played_by"] else data.get("persona_id")
    if persona is None:
        return sentence
    text = str(_PLAYING) % {"sentence": sentence.text, "persona": _name(subjects, persona)}
    return dataclasses.replace(sentence, text=text)


# ---- the sentences ---------------------------------------------------------------------------

_SIMPLE = {
    "logged_in": _l("Logged in"),
    "password_changed": _l("Changed their password"),
    "class_created": _l("Created a class"),
    "class_settings_changed": _l("Changed the settings of a class"),
    "join_code_rotated": _l("Renewed the join code of a class"),
}

_POSTS = {
    "post_edited": _l("Edited a post"),
    "post_deleted": _l("Deleted a post"),
    "post_shared": _l("Shared a post by %(name)s"),
    "liked_post": _l("Liked a post by %(name)s"),
    "unliked_post": _l("Took back their like of a post by %(name)s"),
    "photo_consent_given": _l("Agreed to appear in the picture of a post by %(name)s"),
    "photo_consent_declined": _l("Refused to appear in the picture of a post by %(name)s"),
}
_PUBLISHED = {
    "network": _l("Published a post"),
    "connections": _l("Published a post for their connections"),
    "group": _l("Published a post in the group “%(group)s”"),
    "list": _l("Published a post for their contact list “%(list)s”"),
}
_COMMENTS = {
    "commented": _l("Commented on a post by %(name)s"),
    "comment_edited": _l("Edited a comment"),
    "comment_deleted": _l("Deleted a comment"),
    "liked_comment": _l("Liked a comment by %(name)s"),
    "unliked_comment": _l("Took back their like of a comment by %(name)s"),
}
# kind -> (sentence, where the person's id is: a data key, or "subject", "invitation"...)
_PEOPLE = {
    "invitation_withdrawn": (_l("Withdrew their invitation to %(name)s"), "invitation"),
    "invitation_accepted": (_l("Accepted the invitation of %(name)s"), "sender_id"),
    "invitation_declined": (_l("Declined the invitation of %(name)s"), "sender_id"),
    "invitation_ignored": (_l("Ignored the invitation of %(name)s"), "sender_id"),
    "connection_removed": (_l("Removed %(name)s from their connections"), "subject"),
    "followed_person": (_l("Followed %(name)s"), "subject"),
    "unfollowed_person": (_l("Stopped following %(name)s"), "subject"),
    "recommendation_written": (_l("Wrote a recommendation for %(name)s"), "recipient_id"),
    "recommendation_accepted": (_l("Accepted the recommendation of %(name)s"), "author_id"),
    "recommendation_declined": (_l("Declined the recommendation of %(name)s"), "author_id"),
    "skill_endorsed": (_l("Endorsed the skill “%(skill)s” of %(name)s"), "owner_id"),
    "skill_unendorsed": (_l("Took back their endorsement of “%(skill)s” for %(name)s"),
                         "owner_id"),
    "introduction_made": (_l("Introduced %(name)s to %(other)s"), "student_id"),
    "contact_added_to_list": (_l("Added %(name)s to the contact list “%(list)s”"),
                              "contact_id"),
    "student_password_reset": (_l("Reset the password of %(name)s"), "subject"),
    "staff_account_created": (_l("Created the account of %(name)s"), "subject"),
    "student_messages_reviewed": (_l("Read the messages of %(name)s"), "student_id"),
    "student_thread_reviewed": (_l("Read the conversation of %(name)s with %(other)s"),
                                "student_id"),
    "moderation_warn": (_l("Warned %(name)s"), "author_id"),
    "grade_saved": (_l("Graded %(name)s"), "subject"),
    "data_exported": (_l("Downloaded the data of %(name)s"), "subject"),
}
_GROUPS = {
    "group_created": _l("Created the group “%(group)s”"),
    "group_updated": _l("Updated the group “%(group)s”"),
    "group_joined": _l("Joined the group “%(group)s”"),
    "group_join_requested": _l("Asked to join the group “%(group)s”"),
    "group_request_cancelled": _l("Cancelled their request to join the group “%(group)s”"),
    "group_left": _l("Left the group “%(group)s”"),
    "group_request_accepted": _l("Let %(name)s into the group “%(group)s”"),
    "group_request_declined": _l("Turned down %(name)s’s request to join “%(group)s”"),
    "group_admin_added": _l("Made %(name)s an admin of the group “%(group)s”"),
    "group_admin_removed": _l("Removed %(name)s from the admins of “%(group)s”"),
    "group_member_removed": _l("Removed %(name)s from the group “%(group)s”"),
}
_FOLLOWS = {
    "followed_company": _l("Followed the company %(company)s"),
    "unfollowed_company": _l("Stopped following the company %(company)s"),
    "followed_hashtag": _l("Followed the hashtag #%(tag)s"),
    "unfollowed_hashtag": _l("Stopped following the hashtag #%(tag)s"),
}
_PROFILE = {
    "profile_updated": _l("Updated their profile"),
    "picture_changed": _l("Changed their profile photo"),
    "picture_removed": _l("Removed their profile photo"),
    "banner_changed": _l("Changed their banner"),
    "banner_removed": _l("Removed their banner"),
}
_CONTENT = {  # about a piece of content named by `content_kind` and `content_id`
    "charter_override": _l("Published despite the charter’s advice (%(categories)s)"),
    "content_reported": _l("Reported a content: %(kind)s (%(reason)s)"),
    "moderation_approve": _l("Approved a content after review: %(kind)s"),
    "moderation_hide": _l("Hid a content: %(kind)s"),
    "moderation_restore": _l("Restored a content: %(kind)s"),
    "moderation_delete": _l("Deleted a content: %(kind)s"),
}
_OTHERS = {
    "invitation_sent": _l("Invited %(name)s with a personal message"),
    "message_sent": _l("Sent a message to %(name)s"),
    "outcome_recorded": _l("Wrote in their journal: %(outcome)s, from %(name)s"),
    "outcome_deleted": _l("Removed from their journal: %(outcome)s"),
    "contact_list_created": _l("Created the contact list “%(list)s”"),
    "contact_list_deleted": _l("Deleted the contact list “%(list)s”"),
    "charter_signed": _l("Signed the class charter (version %(version)s)"),
    "charter_edited": _l("Edited the class charter (version %(version)s)"),
    "joined_class": _l("Joined the class"),
    "roster_imported": None,  # in the plural form a count needs (see `_other`)
}
_name = timeline_jobs.name_of


def _own_text(row: Any, link: str | None) -> str | None:
    return row.body if row is not None and link else None


def _post(event: ActivityEvent, data: dict, subjects: Subjects, text: Any) -> Sentence:
    post = subjects.posts.get(event.subject_id or 0)
    link, state = subjects.content_link("post", event.subject_id)
    if event.kind == "post_created":
        audience = str(data.get("audience") or "network")
        text = _PUBLISHED.get(audience, _PUBLISHED["network"])
        group = post.group.name if post is not None and post.group else "…"
        chosen = post.contact_list.name if post is not None and post.contact_list else "…"
        sentence = str(text) % {"group": group, "list": chosen}
    else:
        about = subjects.posts.get(data.get("original_id") or 0) if event.kind == "post_shared" \
            else post
        sentence = str(text) % {"name": _name(subjects, about.author_id if about else None)}
    mine = event.kind in ("post_created", "post_shared", "post_edited")
    return Sentence(sentence, link, _own_text(post, link) if mine else None, state)


def _comment(event: ActivityEvent, data: dict, subjects: Subjects, text: Any) -> Sentence:
    comment = subjects.comments.get(event.subject_id or 0)
    link, state = subjects.content_link("comment", event.subject_id)
    if event.kind == "commented":
        post = subjects.posts.get(comment.post_id if comment else data.get("post_id") or 0)
        if data.get("parent_id"):
            text = _l("Replied to a comment on a post by %(name)s")
        author = post.author_id if post else None
    else:
        author = comment.author_id if comment else None
    mine = event.kind in ("commented", "comment_edited")
    return Sentence(str(text) % {"name": _name(subjects, author)}, link,
                    _own_text(comment, link) if mine else None, state)


def _person(event: ActivityEvent, data: dict, subjects: Subjects, entry: Any) -> Sentence:
    text, where = entry
    if where == "subject":
        person_id = event.subject_id
    elif where == "invitation":
        invitation = subjects.invitations.get(event.subject_id or 0)
        person_id = invitation.recipient_id if invitation else None
    else:
        person_id = data.get(where)
    if event.kind == "data_exported" and person_id == subjects.student.id:
        text = _l("Downloaded their own data")
    contact_list = subjects.lists.get(event.subject_id or 0)
    values = {
        "name": _name(subjects, person_id),
        "other": _name(subjects, data.get("introduced_id") or data.get("other_id")),
        "skill": data.get("skill") or "…",
        "list": contact_list.name if contact_list else "…",
    }
    return Sentence(str(text) % values, subjects.person_link(person_id))


def _group(event: ActivityEvent, data: dict, subjects: Subjects, text: Any) -> Sentence:
    group = subjects.groups.get(event.subject_id or 0)
    name = group.name if group else str(_l("a deleted group"))
    sentence = str(text) % {"group": name, "name": _name(subjects, data.get("user_id"))}
    return Sentence(sentence, subjects.group_link(event.subject_id))


def _follow(event: ActivityEvent, data: dict, subjects: Subjects, text: Any) -> Sentence:
    if event.kind.endswith("hashtag"):
        tag = str(data.get("tag") or "")
        return Sentence(str(text) % {"tag": tag}, url_for("search.results", q=f"#{tag}"))
    company = subjects.companies.get(event.subject_id or 0)
    link = url_for("companies.show", slug=company.slug) if company else None
    return Sentence(str(text) % {"company": company.name if company else "…"}, link)


def _profile(event: ActivityEvent, data: dict, subjects: Subjects, text: Any) -> Sentence:
    if data.get("picture") == "banner":
        text = _PROFILE["banner_changed" if event.kind == "picture_changed" else "banner_removed"]
    return Sentence(str(text), subjects.content_link("profile", subjects.student.id)[0])


def _content(event: ActivityEvent, data: dict, subjects: Subjects, text: Any) -> Sentence:
    kind = parse_kind(data.get("content_kind"))
    categories = ", ".join(category_label(str(code)) for code in data.get("categories") or [])
    values = {
        "categories": categories or "…",
        "kind": str(KIND_LABELS[kind]).lower() if kind else "…",
        "reason": reason_label(str(data.get("reason") or "other")),
    }
    content_id = data.get("content_id")
    link, state = subjects.content_link(kind.value if kind else "",
                                        content_id if isinstance(content_id, int) else None)
    return Sentence(str(text) % values, link, None, state)


def _other(event: ActivityEvent, data: dict, subjects: Subjects, text: Any) -> Sentence:
    kind, student = event.kind, subjects.student
    if kind == "invitation_sent":
        if not data.get("personal"):
            text = _l("Invited %(name)s without a personal message")
        recipient = data.get("recipient_id")
        return Sentence(str(text) % {"name": _name(subjects, recipient)},
                        subjects.person_link(recipient))
    if kind == "message_sent":
        other = data.get("recipient_id")
        link = url_for("messages.student_thread", student_id=student.id, other_id=other) \
            if isinstance(other, int) and other in subjects.users else None
        return Sentence(str(text) % {"name": _name(subjects, other)}, link)
    if kind in ("outcome_recorded", "outcome_deleted"):
        if kind == "outcome_recorded" and not data.get("contact_id"):
            text = _l("Wrote in their journal: %(outcome)s")
        # The labels' keys are StrEnum members: their values find them too.
        values = {"outcome": str(OUTCOME_LABELS.get(data.get("outcome"), data.get("outcome"))),
                  "name": _name(subjects, data.get("contact_id"))}
        return Sentence(str(text) % values,
                        url_for("recommendations.student_journal", student_id=student.id))
    if kind == "roster_imported":
        count = int(data.get("students") or 0)
        return Sentence(str(lazy_ngettext("Imported a roster of %(num)d student",
                                          "Imported a roster of %(num)d students", count)))
    values = {"list": data.get("name") or "…", "version": data.get("version") or "…"}
    return Sentence(str(text) % values)


def _jobs(event: ActivityEvent, data: dict, subjects: Subjects, text: Any) -> Sentence:
    return Sentence(*timeline_jobs.describe(event, data, subjects, text))


_TABLES: tuple[tuple[dict[str, Any], Callable[..., Sentence]], ...] = (
    (_POSTS, _post), ({"post_created": None}, _post), (_COMMENTS, _comment),
    (_PEOPLE, _person), (_GROUPS, _group), (_FOLLOWS, _follow), (_PROFILE, _profile),
    (_CONTENT, _content), (_OTHERS, _other), (timeline_jobs.SENTENCES, _jobs),
)
