"""A student's archive: every section, the pictures, and nothing that is not theirs to read."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import current_app

from sandbox.accounts.models import User
from sandbox.activity.models import ActivityEvent
from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.media.images import uploads_dir
from sandbox.network.models import Invitation, InvitationStatus
from sandbox.posts.services import create_post
from sandbox.privacy import archive
from tests.conftest import login_client
from tests.privacy.builders import MARKER, busy_student


def _open(answer: Any) -> tuple[zipfile.ZipFile, dict[str, Any], str]:
    assert answer.status_code == 200, answer.status_code
    assert answer.mimetype == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(answer.get_data()))
    answer.close()  # the archive's temporary file goes with it
    text = bundle.read("data.json").decode("utf-8")
    return bundle, json.loads(text), text


@pytest.fixture
def downloaded(school, client_as):  # type: ignore[no-untyped-def]
    made = busy_student(school)
    made["from_hugo"].hidden_at = utcnow()  # a teacher hid Hugo's message to Léa
    invitation = db.session.scalar(sa.select(Invitation).where(
        Invitation.sender_id == school["student"].id))
    invitation.status = InvitationStatus.IGNORED  # Claire chose not to answer
    db.session.commit()
    answer = client_as(school["student"]).get("/account/data.zip")
    bundle, data, text = _open(answer)
    return {**made, "answer": answer, "bundle": bundle, "data": data, "text": text}


def test_the_archive_is_a_zip_that_is_never_cached(downloaded):
    answer = downloaded["answer"]
    today = answer.headers["Content-Disposition"]
    assert "attachment" in today and "tremplin-lea.martin-20" in today and today.endswith(".zip")
    assert answer.headers["Cache-Control"] == "no-store"


def test_data_json_holds_every_section_sorted_and_indented(downloaded):
    data, text = downloaded["data"], downloaded["text"]
    assert set(data) == {*archive.SECTIONS, "archive"}
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    assert data["account"]["username"] == "lea.martin"
    assert data["account"]["pseudonym"] == f"Lea {MARKER}"
    profile = data["profile"]
    assert profile["headline"] == f"Future commerciale {MARKER}"
    assert profile["visibility"]["contact_phone"] == "connections"
    assert profile["skills"][0]["endorsed_by"][0]["person"] == "Hugo Petit"
    assert profile["links"] == [{"label": MARKER, "url": f"https://{MARKER.lower()}.example.org"}]
    post = next(p for p in data["posts"] if p["id"] == downloaded["lea_post"].id)
    assert post["hashtags"] == ["export"] and post["mentions"] == ["Hugo Petit"]
    assert post["likes"] == 1 and post["comments"] == 1 and post["audience"] == "network"
    assert post["created_at"].endswith("Z")
    assert [c["body"] for c in data["comments"]] == [f"Merci, signé {MARKER}"]
    assert data["network_outcomes"][0]["note"] == f"Conseil reçu, {MARKER}"
    assert data["charter_findings"][-1]["excerpt"] == f"slt {MARKER}"
    warning = data["moderation"]["decisions"][0]
    assert warning["action"] == "warn"
    assert warning["message"] == f"Attention {MARKER}, pas de publicité."
    assert data["moderation"]["reports_made"][0]["details"] == f"Signalé par {MARKER}"
    assert data["groups_created"][0]["name"] == f"Groupe {MARKER}"
    assert data["charter_signatures"] and data["activity"] and data["notifications"]


def test_the_pictures_listed_are_in_the_archive(downloaded):
    bundle, data = downloaded["bundle"], downloaded["data"]
    root = uploads_dir(Path(current_app.instance_path))
    lea = db.session.get(User, downloaded["lea_post"].author_id)
    assert data["profile"]["photo"] == "images/photo.webp"
    assert bundle.read("images/photo.webp") == (root / lea.profile.photo_path).read_bytes()
    post = next(p for p in data["posts"] if p["id"] == downloaded["lea_post"].id)
    assert post["image"] in bundle.namelist()
    assert bundle.read(post["image"]) == (root / downloaded["lea_post"].image_path).read_bytes()
    # Only her own pictures: not the classmate's photo she is tagged in.
    assert len([name for name in bundle.namelist() if name.startswith("images/")]) == 3


def test_no_secret_and_nothing_private_of_others(downloaded, school):
    text = downloaded["text"]
    for person in (school["student"], school["classmate"]):
        assert person.password_hash not in text and person.session_token not in text
    assert "password" not in text and "session_token" not in text
    assert "0699999999" not in text  # Hugo's phone, for teachers only
    conversation = downloaded["data"]["conversations"][0]
    assert conversation["with"] == "Hugo Petit"
    theirs = [m for m in conversation["messages"] if not m["from_me"]]
    assert theirs and theirs[0]["body"] is None and theirs[0]["hidden_by_teacher"]
    # An ignored invitation looks pending to its sender, as on the site.
    sent = downloaded["data"]["invitations"]["sent"]
    assert sent[0]["status"] == "pending" and sent[0]["answered_at"] is None


def test_the_teacher_downloads_the_same_archive_and_it_is_recorded(school, client_as):
    busy_student(school)
    lea, teacher = school["student"], school["teacher"]
    url = f"/classes/{school['class'].id}/students/{lea.id}/data.zip"
    _bundle, data, _text = _open(client_as(teacher).get(url))
    assert data["account"]["username"] == "lea.martin"
    # Names stay as Léa sees them: her teacher's view does not leak into her copy.
    assert data["profile"]["skills"][0]["endorsed_by"][0]["person"] == "Hugo Petit"
    event = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.kind == "data_exported"))
    assert event.user_id == teacher.id and event.subject_id == lea.id
    assert event.data == {"asked_by": "teacher"}
    for someone in ("other_teacher", "classmate", "other_student"):
        assert client_as(school[someone]).get(url).status_code == 403


def test_the_data_page_explains_and_names_the_teachers(school, client_as):
    page = client_as(school["student"]).get("/account/data")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/account/data.zip" in html
    assert school["teacher"].public_name in html
    assert client_as(school["teacher"]).get("/account/data").status_code == 403
    assert client_as(school["teacher"]).get("/account/data.zip").status_code == 403


def test_the_archive_takes_a_fixed_number_of_queries(school, count_queries, tmp_path):
    busy_student(school)
    lea = school["student"]
    pictures = archive._Pictures(tmp_path)

    def counted() -> int:
        db.session.expire_all()
        with count_queries() as counter:
            archive.archive_data(db.session.get(User, lea.id), pictures)
        return counter.count

    before = counted()
    for number in range(4):
        create_post(lea, body=f"Encore un message {number}", audience="network",
                    charter_ack=True)
    assert counted() == before


def test_downloads_are_limited_per_person(make_app, school, tmp_path):
    lea_id = school["student"].id
    limited = make_app(RATELIMIT_ENABLED=True, DATA_EXPORT_RATE_LIMIT="2 per minute",
                       INSTANCE_PATH=tmp_path / "limited")
    with limited.app_context():
        lea = login_client(limited, db.session.get(User, lea_id))
        codes = []
        for _ in range(3):
            answer = lea.get("/account/data.zip")
            codes.append(answer.status_code)
            answer.close()
        assert codes == [200, 200, 429]


def test_the_teachers_grades_and_comments_are_in_the_archive(school, client_as):
    from sandbox.grading.rubrics import rubric_for
    from sandbox.grading.services import GradeEntry, save_grades

    lea, klass = school["student"], school["class"]
    criterion = rubric_for(klass).criteria[0]
    save_grades(school["teacher"], klass.id, lea.id,
                [GradeEntry(criterion.id, "12,5", "Profil clair, photo à revoir.")])
    _bundle, data, _text = _open(client_as(lea).get("/account/data.zip"))
    assert data["grades"] == [{
        "criterion": {"fr": criterion.label_fr, "en": criterion.label_en},
        "score": 12.5, "out_of": 20, "comment": "Profil clair, photo à revoir.",
        "at": data["grades"][0]["at"],
    }]


def test_her_applications_reviews_and_exercises_are_in_the_archive(downloaded, school):
    data = downloaded["data"]
    [application] = data["applications"]
    assert application["offer"] == {"title": "Stage export", "kind": "internship",
                                     "city": "Lyon",
                                     "company": school["persona"].persona.company.name}
    assert application["cover_letter"] == f"Madame, je suis {MARKER} et ce stage me plaît."
    assert application["status"] == "shortlisted" and application["sent_at"].endswith("Z")
    assert [saved["offer"]["title"] for saved in data["saved_offers"]] == ["Stage export"]
    [review] = data["company_reviews"]
    assert review["liked"] == f"L'équipe, signé {MARKER}" and review["recommend"] is True
    assert review["scores"] == {"pride": 4, "growth": 5, "motivation": 4, "fun": 3,
                                "management": 4, "environment": 5}
    [exercise] = data["exercises"]
    assert (exercise["team"], exercise["role"], exercise["teammates"]) == (
        "Recruteurs", "recruiter", [])
    assert exercise["company"] == school["persona"].persona.company.name
    # Hugo's application, which she moved while playing the recruiter, is his, not hers.
    assert "m'a parlé de cette offre" not in downloaded["text"]
    assert "decided_by" not in downloaded["text"]
