"""The student's home page: news from whom they follow, within what their network scope lets
them see (the feed itself is tested in tests/posts/test_feed.py)."""

from __future__ import annotations

from sandbox.classes.models import NetworkScope
from sandbox.extensions import db
from sandbox.network.models import FollowedPerson
from sandbox.network.services import connect
from sandbox.posts.models import Audience, Post


def _post(author, body, audience=Audience.NETWORK):  # type: ignore[no-untyped-def]
    db.session.add(Post(author_id=author.id, body=body, audience=audience))
    db.session.commit()


def _follow(follower, *people):  # type: ignore[no-untyped-def]
    db.session.add_all([FollowedPerson(follower_id=follower.id, followed_id=person.id)
                        for person in people])
    db.session.commit()


def test_student_sees_connections_and_followed_people_in_their_network(client_as, school,
                                                                       factories):
    connect(school["student"], school["classmate"])
    _follow(school["student"], school["persona"], school["other_student"])
    _post(factories.make_student(school["class"]), "Un camarade que je ne suis pas")
    _post(school["classmate"], "Message d'un camarade")
    _post(school["persona"], "Conseil d'une recruteuse")
    _post(school["other_student"], "Message d'une autre classe")
    _post(school["classmate"], "Réservé aux relations", Audience.CONNECTIONS)
    page = client_as(school["student"]).get("/").get_data(as_text=True)
    assert "Message d&#39;un camarade" in page
    assert "Conseil d&#39;une recruteuse" in page
    assert "Réservé aux relations" in page  # Léa is one of Hugo's connections
    assert "autre classe" not in page  # followed, but outside Léa's network
    assert "que je ne suis pas" not in page


def test_whole_school_scope_opens_other_open_classes(client_as, school):
    school["class"].network_scope = NetworkScope.SCHOOL
    school["other_class"].network_scope = NetworkScope.SCHOOL
    db.session.commit()
    _follow(school["student"], school["other_student"])
    _post(school["other_student"], "Bonjour de la classe voisine")
    page = client_as(school["student"]).get("/").get_data(as_text=True)
    assert "Bonjour de la classe voisine" in page


def test_a_class_open_to_the_school_does_not_see_closed_classes(client_as, school):
    school["class"].network_scope = NetworkScope.SCHOOL
    db.session.commit()
    _follow(school["student"], school["other_student"])
    _post(school["other_student"], "Classe restée fermée")
    page = client_as(school["student"]).get("/").get_data(as_text=True)
    assert "Classe restée fermée" not in page


def test_user_content_is_escaped(client_as, school):
    _post(school["student"], "<i>le mien</i>")
    connect(school["student"], school["classmate"])
    _post(school["classmate"], "<script>alert('x')</script><b>gras</b>")
    page = client_as(school["student"]).get("/").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page and "&lt;i&gt;le mien&lt;/i&gt;" in page


def test_home_runs_a_fixed_number_of_queries(client_as, school, factories, count_queries):
    client = client_as(school["student"])
    connect(school["student"], school["classmate"])
    personas = [factories.make_persona() for _ in range(5)]
    _follow(school["student"], school["persona"], *personas)
    _post(school["persona"], "Un premier message")
    _post(school["classmate"], "Un premier message du camarade")
    client.get("/")  # the session gets its CSRF token (a page that changes it is not kept)
    client.get("/")  # kept: each reading below finds it out of date
    _post(school["classmate"], "Un deuxième message du camarade")
    with count_queries() as few:
        client.get("/")
    for number in range(15):
        author = personas[number // 3] if number % 3 == 0 else school["classmate"]
        _post(author, f"Message {number}")
    with count_queries() as many:
        page = client.get("/").get_data(as_text=True)
    assert "Message 14" in page
    assert many.count == few.count, many.statements
    assert many.count <= 23  # incl. the live exercise, the personas a recruiter plays, and
    # keeping the page (sandbox/pagecache.py): the kept page found out of date, its versions
    # read before and after, the reader's row read again


def test_teachers_land_on_their_classes_and_admins_on_administration(client_as, school):
    assert client_as(school["teacher"]).get("/").headers["Location"] == "/classes/"
    assert client_as(school["admin"]).get("/").headers["Location"] == "/admin/"


def test_welcome_page_for_visitors(client):
    page = client.get("/").get_data(as_text=True)
    assert "Rejoindre avec le code de la classe" in page


def test_the_feed_hides_an_authors_headline_kept_for_the_teacher(client_as, school):
    classmate = school["classmate"]
    classmate.profile.headline = "Titre réservé au professeur"
    classmate.profile.visibility = {"headline": "teacher"}
    connect(school["student"], classmate)
    db.session.commit()
    _post(classmate, "Bonjour la classe")
    page = client_as(school["student"]).get("/").get_data(as_text=True)
    assert "Bonjour la classe" in page
    assert "Titre réservé au professeur" not in page
