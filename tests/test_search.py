"""One search box: accent- and case-insensitive, never beyond what the viewer may see."""

from __future__ import annotations

from sandbox.companies.models import Company, Sector
from sandbox.extensions import db
from sandbox.profiles.models import ProfileHashtag
from sandbox.profiles.search_index import refresh_search_text
from sandbox.search.services import search


def test_companies_are_found_without_accents_or_capitals(app, school):
    db.session.add(Company(slug="societe-etoile", name="Société Étoile", sector=Sector.RETAIL,
                           city="Besançon"))
    db.session.commit()
    for query in ("societe", "SOCIÉTÉ", "Société étoile", "besancon"):
        assert [c.name for c in search(school["student"], query).companies] == ["Société Étoile"]


def test_people_are_found_without_accents(app, school):
    classmate = school["classmate"]
    classmate.first_name, classmate.last_name = "Héloïse", "Lefèvre"
    refresh_search_text(classmate)
    db.session.commit()
    found = search(school["student"], "heloise LEFEVRE").people
    assert [person.user.id for person in found] == [classmate.id]


def test_people_outside_the_network_scope_are_never_found(app, school):
    other = school["other_student"]
    other.first_name = "Zéphyrine"
    refresh_search_text(other)
    db.session.commit()
    assert search(school["student"], "zephyrine").people == []
    assert [p.user.id for p in search(school["other_teacher"], "zephyrine").people] == [other.id]


def test_hashtags_count_only_people_whose_hashtags_the_viewer_sees(app, school):
    for user in (school["classmate"], school["persona"]):
        db.session.add(ProfileHashtag(profile_id=user.id, tag="alternance"))
    school["classmate"].profile.visibility = {"hashtags": "teacher"}
    db.session.commit()
    assert search(school["student"], "#altern").hashtags == [("alternance", 1)]
    assert search(school["teacher"], "alternance").hashtags == [("alternance", 2)]


def test_search_page(client_as, school):
    page = client_as(school["student"]).get("/search?q=%25%25").get_data(as_text=True)
    assert "Aucun résultat pour « %% »." in page  # LIKE wildcards are searched as plain text
    assert client_as(school["student"]).get("/search").status_code == 200


def test_results_are_ordered_by_the_name_the_viewer_sees(app, school, factories):
    klass = school["class"]
    zoe = factories.make_student(klass, first_name="Zoé", last_name="Aubert", pseudonym="Zoé Z.")
    anna = factories.make_student(klass, first_name="Anna", last_name="Zwicky", pseudonym="Anna A.")
    for user in (zoe, anna):
        user.profile.headline = "Stagiaire logistique"
        refresh_search_text(user)
    db.session.commit()
    names = [person.name for person in search(school["student"], "logistique").people]
    assert names == ["Anna A.", "Zoé Z."]  # not Aubert before Zwicky


def test_ligatures_fold_like_their_letters(app, school):
    db.session.add(Company(slug="coeur-oenologie", name="Cœur d’Œnologie", sector=Sector.AGRIFOOD,
                           city="Beaune"))
    db.session.commit()
    assert [c.slug for c in search(school["student"], "coeur oenologie").companies] == [
        "coeur-oenologie"
    ]


def test_disabled_accounts_are_not_found(app, school):
    classmate = school["classmate"]
    classmate.is_disabled = True
    db.session.commit()
    assert search(school["student"], classmate.last_name).people == []


def test_control_characters_in_a_query_are_ignored(client_as, school):
    assert client_as(school["student"]).get("/search?q=a%00b").status_code == 200
    assert client_as(school["student"]).get("/companies/a%00b").status_code == 404


def test_posts_are_found_without_accents_newest_first_and_only_when_visible(client_as, school):
    from sandbox.network.services import connect
    from sandbox.posts.services import create_post

    lea, hugo = school["student"], school["classmate"]
    older = create_post(hugo, body="Journée à l'École de commerce", audience="network")
    newer = create_post(school["persona"], body="Portes ouvertes : ECOLE du commerce #Export",
                        audience="network")
    create_post(hugo, body="École, réservé aux relations", audience="connections")
    create_post(school["other_student"], body="École d'une autre classe", audience="network")
    assert [post.id for post in search(lea, "ecole commerce").posts] == [newer.id, older.id]
    assert [post.id for post in search(lea, "#export").posts] == [newer.id]
    connect(lea, hugo)
    db.session.commit()
    assert len(search(lea, "ecole").posts) == 3  # now a connection of Hugo's
    page = client_as(lea).get("/search?q=ecole").get_data(as_text=True)
    assert "Portes ouvertes" in page and "autre classe" not in page
