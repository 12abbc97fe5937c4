"""Roster import: French spreadsheet CSVs, line-numbered errors, all rows or none."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from sandbox.accounts.models import User
from sandbox.classes.roster import RosterError, import_roster, parse_roster, split_full_name
from sandbox.core.errors import PermissionDenied
from sandbox.core.time import utcnow
from sandbox.extensions import db


def _students_of(klass):  # type: ignore[no-untyped-def]
    return db.session.scalars(sa.select(User).where(User.class_id == klass.id)).all()


def test_semicolon_windows_1252_with_french_headers():
    raw = "Nom;Prénom;Pseudo\r\nDupré;Mathieu;\r\nN'Diaye;Aïssatou;Aïcha\r\n".encode("cp1252")
    rows = parse_roster(raw)
    assert [(r.first_name, r.last_name, r.pseudonym) for r in rows] == [
        ("Mathieu", "Dupré", ""),
        ("Aïssatou", "N'Diaye", "Aïcha"),
    ]


def test_comma_utf8_with_bom_and_no_header():
    raw = "\ufeffMathieu Dupré,Matt\nÉlodie Lefèvre-Martin,\n".encode()
    rows = parse_roster(raw)
    assert [(r.first_name, r.last_name, r.pseudonym) for r in rows] == [
        ("Mathieu", "Dupré", "Matt"),
        ("Élodie", "Lefèvre-Martin", ""),
    ]


def test_school_software_order_family_name_in_capitals():
    assert split_full_name("DUPRÉ Mathieu") == ("Mathieu", "Dupré")
    assert split_full_name("LE GALL Anne-Sophie") == ("Anne-Sophie", "Le Gall")
    assert split_full_name("Anne-Sophie Le Gall") == ("Anne-Sophie", "Le Gall")


def test_a_full_name_in_a_single_column_of_a_two_column_roster_is_split():
    rows = parse_roster("Nom;Prénom\nLEFÈVRE Anne;\n".encode())
    assert (rows[0].first_name, rows[0].last_name) == ("Anne", "Lefèvre")


def test_blank_lines_are_skipped():
    rows = parse_roster(b"Nom complet\n\nAlice Martin\n;\nBob Petit\n")
    assert [r.first_name for r in rows] == ["Alice", "Bob"]


def test_malformed_rows_are_reported_with_their_line_numbers():
    raw = "Nom;Prénom;Pseudo\nDupré;Mathieu;\n;;Zorro\n" + ("X" * 90) + ";Yann;\n"
    with pytest.raises(RosterError) as error:
        parse_roster(raw.encode())
    problems = error.value.problems
    assert len(problems) == 2
    assert "3" in problems[0] and "4" in problems[1]


def test_empty_file_is_refused():
    with pytest.raises(RosterError):
        parse_roster(b"")


def test_import_creates_students_with_one_time_passwords(school):
    klass = school["class"]
    before = len(_students_of(klass))
    cards = import_roster(
        school["teacher"], klass, "Prénom;Nom\nLéa;Martin\nLéa;Martin\nÉmile;Zola\n".encode()
    )
    assert [card.username for card in cards] == ["lea.martin2", "lea.martin3", "emile.zola"]
    assert len(_students_of(klass)) == before + 3
    created = db.session.scalar(sa.select(User).where(User.username == "emile.zola"))
    assert created.must_change_password is True
    assert created.first_name == "Émile"
    assert all(len(card.password) == 14 for card in cards)


def test_a_bad_row_means_nothing_is_written(school):
    klass = school["class"]
    before = len(_students_of(klass))
    with pytest.raises(RosterError):
        import_roster(school["teacher"], klass, b"Prenom;Nom\nAlice;Martin\n;\n;;;\n;\nBob;\n;;Zorro\n")
    assert len(_students_of(klass)) == before


def test_only_the_class_teachers_import(school):
    with pytest.raises(PermissionDenied):
        import_roster(school["other_teacher"], school["class"], b"Alice Martin\n")


def test_roster_page_prints_login_cards(client_as, school, auth, client):
    teacher = client_as(school["teacher"])
    klass = school["class"]
    response = teacher.post(
        f"/classes/{klass.id}/roster",
        data={"roster": (io.BytesIO("Nom;Prénom\nDupré;Mathieu\n".encode("cp1252")), "liste.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Cartes de connexion" in page
    assert "mathieu.dupre" in page


def test_roster_page_lists_problems_in_french(client_as, school):
    teacher = client_as(school["teacher"])
    klass = school["class"]
    response = teacher.post(
        f"/classes/{klass.id}/roster",
        data={"roster": (io.BytesIO(b"Nom;Prenom\nDupre;Mathieu\n;\n;;Zorro\n"), "liste.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "Ligne 4" in page
    assert "rien n’a été modifié" in page


def test_old_mac_line_endings():
    rows = parse_roster(b"Nom;Prenom\rDupre;Mathieu\rPetit;Hugo\r")
    assert [r.first_name for r in rows] == ["Mathieu", "Hugo"]


def test_utf16_unicode_text_export():
    raw = "Nom\tPrénom\r\nDupré\tMathieu\r\n".encode("utf-16")
    rows = parse_roster(raw)
    assert (rows[0].first_name, rows[0].last_name) == ("Mathieu", "Dupré")


def test_line_numbers_are_file_lines_even_after_a_multiline_cell(app):
    raw = 'Nom;Prénom;Pseudo\nDupré;Mathieu;"deux\nlignes"\n;;Zorro\n'.encode()
    with pytest.raises(RosterError) as error:
        parse_roster(raw)
    assert error.value.problems == ["Ligne 4 : le nom de l’élève est manquant."]


def test_invisible_characters_are_reported_by_line(app):
    with pytest.raises(RosterError) as error:
        parse_roster("Nom;Prénom\nDupré;Mat\x1bhieu\n".encode())
    assert error.value.problems == ["Ligne 2 : cette ligne contient des caractères invisibles."]


def test_a_username_taken_during_the_import_writes_nothing(school, monkeypatch):
    """Between the check and the write, someone takes a username the import wanted."""
    from sandbox.classes import roster

    klass = school["class"]
    before = len(_students_of(klass))
    real_build_user = roster.build_user
    calls = []

    def build_user_then_collide(**fields):  # type: ignore[no-untyped-def]
        calls.append(fields["username"])
        user = real_build_user(**fields)
        if len(calls) == 2:
            # another account, committed elsewhere, takes the first row's username
            with db.engine.begin() as other:
                other.execute(
                    sa.insert(User).values(
                        username=calls[0], role="student", first_name="X", last_name="Y",
                        session_token="0" * 32, created_at=utcnow(),
                    )
                )
        return user

    monkeypatch.setattr(roster, "build_user", build_user_then_collide)
    with pytest.raises(RosterError) as error:
        import_roster(school["teacher"], klass, "Prénom;Nom\nAlice;Martin\nBob;Petit\n".encode())
    assert error.value.problems == [
        "Un compte a été créé au même moment : importez à nouveau le fichier."
    ]
    assert len(_students_of(klass)) == before
