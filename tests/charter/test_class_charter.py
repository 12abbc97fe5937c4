"""The teacher's charter editor: every kind of field, validation, versions, audit, reset."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sandbox.activity.models import ActivityEvent
from sandbox.charter import edits, services
from sandbox.charter.models import CharterRule, ClassCharter, Severity
from sandbox.charter.services import rules_of
from sandbox.core.errors import PermissionDenied, ServiceError
from sandbox.extensions import db
from sandbox.moderation.models import AuditEntry


def form_data(klass) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The editor's form as the page fills it: what a teacher sends when changing nothing."""
    charter = db.session.get(ClassCharter, klass.id)
    data = {"version": str(charter.version)}
    for index, rule in enumerate(rules_of(klass.id)):
        prefix = f"rules-{index}-"
        data.update({prefix + "code": rule.code, prefix + "title_fr": rule.title_fr,
                     prefix + "title_en": rule.title_en, prefix + "text_fr": rule.text_fr,
                     prefix + "text_en": rule.text_en})
        if rule.checks:
            data[prefix + "severity"] = rule.severity.value
        if rule.enabled:
            data[prefix + "enabled"] = "y"
    for name in ("sms_allowlist", "school_domains", "allowed_emails", "forbidden_words"):
        data[name] = "\n".join(getattr(charter, name))
    data["school_address"] = charter.school_address
    for index, window in enumerate(charter.posting_windows):
        data.update({f"windows-{index}-day": str(window["day"]),
                     f"windows-{index}-start": window["start"],
                     f"windows-{index}-end": window["end"]})
    return data


def _index(klass, code: str) -> int:  # type: ignore[no-untyped-def]
    return [rule.code for rule in rules_of(klass.id)].index(code)


def _charter(klass) -> ClassCharter:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.get(ClassCharter, klass.id)


def _audits(klass) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.class_id == klass.id,
                                    AuditEntry.action == "charter_edit")
    ))


@pytest.fixture
def teacher(school):  # type: ignore[no-untyped-def]
    school["teacher"].locale = "en"
    db.session.commit()
    return school["teacher"]


def test_the_editor_shows_every_rule_with_its_checks(school, teacher, client_as):
    klass = school["class"]
    page = client_as(teacher).get(f"/classes/{klass.id}/charter").get_data(as_text=True)
    for index, rule in enumerate(rules_of(klass.id)):
        assert f'name="rules-{index}-title_fr"' in page
        assert f'name="rules-{index}-text_en"' in page
        assert (f'name="rules-{index}-severity"' in page) == bool(rule.checks)
    assert "Automatic checks: phone numbers, personal e-mail addresses, postal addresses." in page
    assert "Coach: advice before publishing" in page and "Block: cannot be published" in page
    # three empty rows to add posting windows without JavaScript
    assert 'name="windows-2-start"' in page and 'name="windows-3-start"' not in page


def test_a_real_change_makes_a_new_version_audited_once(school, teacher, client_as):
    klass = school["class"]
    data = form_data(klass)
    rule = _index(klass, "personal_information")
    data[f"rules-{rule}-title_fr"] = "Rien de personnel"
    data[f"rules-{rule}-severity"] = "flag"
    data["sms_allowlist"] = "PDT, rdv\nsvp"
    response = client_as(teacher).post(f"/classes/{klass.id}/charter", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/classes/{klass.id}/charter"

    charter = _charter(klass)
    assert charter.version == 2
    assert charter.updated_by_id == teacher.id
    assert charter.sms_allowlist == ["pdt", "rdv", "svp"]
    changed = db.session.scalar(sa.select(CharterRule).where(
        CharterRule.class_id == klass.id, CharterRule.code == "personal_information"))
    assert changed.title_fr == "Rien de personnel" and changed.severity is Severity.FLAG
    [audit] = _audits(klass)
    assert audit.actor_id == teacher.id
    assert audit.data == {"version": 2, "rules": ["personal_information"],
                          "settings": ["sms_allowlist"]}
    event = db.session.scalar(sa.select(ActivityEvent).where(
        ActivityEvent.user_id == teacher.id, ActivityEvent.kind == "charter_edited"))
    assert event.data["version"] == 2 and event.subject_id == klass.id


def test_saving_without_a_change_keeps_the_version(school, teacher, client_as):
    klass = school["class"]
    client = client_as(teacher)
    response = client.post(f"/classes/{klass.id}/charter", data=form_data(klass),
                           follow_redirects=True)
    assert "Nothing has changed" in response.get_data(as_text=True)
    assert _charter(klass).version == 1
    assert _audits(klass) == []
    # A textarea sends Windows line ends and trailing spaces: still no change.
    data = form_data(klass)
    data["rules-0-text_fr"] = data["rules-0-text_fr"] + "  \r\n"
    client.post(f"/classes/{klass.id}/charter", data=data)
    assert _charter(klass).version == 1


def test_every_kind_of_field_is_saved_tidied(school, teacher, client_as):
    klass = school["class"]
    data = form_data(klass)
    spelling = _index(klass, "spelling")
    learning = _index(klass, "learning")
    data.pop(f"rules-{spelling}-enabled")
    data[f"rules-{learning}-text_en"] = "First line.\r\n\r\n\r\n\r\nSecond   line."
    data.update({
        "school_domains": "@Lycee-Exemple.FR\nent.lycee-exemple.fr, lycee-exemple.fr",
        "allowed_emails": "Stages@Lycee-Exemple.fr",
        "school_address": "Lycée Jean Moulin\r\n12 rue des Écoles\r\n69003 Lyon",
        "forbidden_words": "nul, Boloss ; nul",
        "windows-0-day": "4", "windows-0-start": "14:00", "windows-0-end": "16:30",
        "windows-1-day": "0", "windows-1-start": "8h00", "windows-1-end": "10:00",
        "windows-2-day": "", "windows-2-start": "", "windows-2-end": "",
    })
    assert client_as(teacher).post(f"/classes/{klass.id}/charter", data=data).status_code == 302
    charter = _charter(klass)
    assert charter.version == 2
    assert charter.school_domains == ["lycee-exemple.fr", "ent.lycee-exemple.fr"]
    assert charter.allowed_emails == ["stages@lycee-exemple.fr"]
    assert charter.school_address == "Lycée Jean Moulin\n12 rue des Écoles\n69003 Lyon"
    assert charter.forbidden_words == ["nul", "boloss"]
    assert charter.posting_windows == [{"day": 0, "start": "08:00", "end": "10:00"},
                                       {"day": 4, "start": "14:00", "end": "16:30"}]
    rules = {rule.code: rule for rule in rules_of(klass.id)}
    assert rules["spelling"].enabled is False
    assert rules["learning"].text_en == "First line.\n\nSecond line."
    [audit] = _audits(klass)
    assert audit.data["rules"] == ["learning", "spelling"]
    assert audit.data["settings"] == ["school_domains", "allowed_emails", "school_address",
                                      "forbidden_words", "posting_windows"]
    # the form shows the saved windows, then three empty rows again
    page = client_as(teacher).get(f"/classes/{klass.id}/charter").get_data(as_text=True)
    assert 'value="16:30"' in page and 'name="windows-4-start"' in page


def test_mistakes_are_explained_the_input_kept_and_nothing_written(school, teacher, client_as):
    klass = school["class"]
    data = form_data(klass)
    data.update({
        "rules-0-title_en": "",
        "allowed_emails": "stages@lycee-exemple.fr\nprof.durand(at)lycee",
        "school_domains": "pas un domaine",
        "sms_allowlist": "mdr, " + "x" * 70,
        "windows-0-day": "2", "windows-0-start": "10:00", "windows-0-end": "09:00",
        "windows-1-day": "", "windows-1-start": "25:00", "windows-1-end": "",
        "windows-2-day": "3", "windows-2-start": "", "windows-2-end": "11:00",
    })
    data["rules-1-title_fr"] = "Un titre modifié"
    response = client_as(teacher).post(f"/classes/{klass.id}/charter", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The charter was not saved" in page
    assert "This field is required." in page
    assert "“prof.durand(at)lycee” is not a valid e-mail address." in page
    assert "“pas un domaine” is not an e-mail domain" in page
    assert "characters at most" in page
    assert "The window must end after it starts" in page
    assert "Choose a day for this window." in page
    assert "Write a time such as 08:30." in page
    assert page.count('class="field__error"') == 7
    # what the teacher typed is still there
    assert "prof.durand(at)lycee" in page and "Un titre modifié" in page
    assert 'value="10:00"' in page and 'value="25:00"' in page
    charter = _charter(klass)
    assert charter.version == 1 and charter.allowed_emails == [] and charter.posting_windows == []
    assert rules_of(klass.id)[1].title_fr != "Un titre modifié"
    assert _audits(klass) == []


def test_a_window_across_midnight_is_refused(school, teacher):
    edit = edits.CharterEdit(posting_windows=[{"day": "5", "start": "22:00", "end": "01:00"}])
    with pytest.raises(ServiceError) as error:
        services.update_charter(teacher, school["class"].id, edit)
    assert error.value.field == "windows-0-end"
    edit.posting_windows = [{"day": "5", "start": "09:00", "end": "09:00"}]
    with pytest.raises(ServiceError):
        services.update_charter(teacher, school["class"].id, edit)


def test_an_edit_made_from_an_old_version_is_refused(school, teacher, client_as):
    klass = school["class"]
    stale = form_data(klass)
    first = form_data(klass)
    first["forbidden_words"] = "nul"
    client = client_as(teacher)
    client.post(f"/classes/{klass.id}/charter", data=first)
    stale["forbidden_words"] = "boloss"
    page = client.post(f"/classes/{klass.id}/charter", data=stale).get_data(as_text=True)
    assert "Someone changed this charter while you were editing it" in page
    assert "boloss" in page  # kept in the form
    charter = _charter(klass)
    assert charter.version == 2 and charter.forbidden_words == ["nul"]


def test_severity_is_only_set_on_rules_with_checks(school, teacher, client_as):
    klass = school["class"]
    data = form_data(klass)
    learning = _index(klass, "learning")  # a rule read by people, without automatic check
    data[f"rules-{learning}-severity"] = "block"
    client_as(teacher).post(f"/classes/{klass.id}/charter", data=data)
    assert _charter(klass).version == 1
    bad = form_data(klass)
    bad[f"rules-{_index(klass, 'spelling')}-severity"] = "explode"
    page = client_as(teacher).post(f"/classes/{klass.id}/charter", data=bad)
    assert "Choose coach, flag or block." in page.get_data(as_text=True)


def test_an_unknown_rule_is_refused(school, teacher):
    edit = edits.CharterEdit(rules=[edits.RuleEdit(code="no_such_rule", title_fr="Titre",
                                                         title_en="Title", text_fr="Texte",
                                                         text_en="Text")])
    with pytest.raises(ServiceError):
        services.update_charter(teacher, school["class"].id, edit)
    assert _charter(school["class"]).version == 1


def test_only_the_class_teachers_and_admins_edit(school):
    edit = edits.CharterEdit(forbidden_words="nul")
    for outsider in (school["other_teacher"], school["student"]):
        with pytest.raises(PermissionDenied):
            services.update_charter(outsider, school["class"].id, edit)
    assert services.update_charter(school["admin"], school["class"].id, edit).version == 2


def test_reset_puts_the_default_rules_back_and_keeps_the_school_facts(school, teacher,
                                                                       client_as):
    klass = school["class"]
    data = form_data(klass)
    rule = _index(klass, "respect")
    data[f"rules-{rule}-text_fr"] = "Soyez polis."
    data.pop(f"rules-{rule}-enabled")
    data["school_domains"] = "lycee-exemple.fr"
    client = client_as(teacher)
    client.post(f"/classes/{klass.id}/charter", data=data)
    assert _charter(klass).version == 2

    assert client.post(f"/classes/{klass.id}/charter/reset").status_code == 302
    charter = _charter(klass)
    assert charter.version == 3
    assert charter.school_domains == ["lycee-exemple.fr"]
    respect = {r.code: r for r in rules_of(klass.id)}["respect"]
    assert respect.enabled and respect.text_fr.startswith("Aucun propos diffamatoire")
    assert _audits(klass)[-1].data["rules"] == ["respect"]
    # again: nothing left to reset
    client.post(f"/classes/{klass.id}/charter/reset")
    assert _charter(klass).version == 3


def test_another_teacher_cannot_open_the_editor(school, client_as):
    klass = school["class"]
    assert client_as(school["other_teacher"]).get(f"/classes/{klass.id}/charter"
                                                  ).status_code == 403
    response = client_as(school["other_teacher"]).post(f"/classes/{klass.id}/charter",
                                                       data=form_data(klass) | {
                                                           "forbidden_words": "nul"})
    assert response.status_code == 403
    assert _charter(klass).version == 1
