"""The post pages: the composer, a post, a hashtag, the @-autocomplete."""

from __future__ import annotations

from sandbox.classes.models import NetworkScope
from sandbox.extensions import db
from sandbox.network.lists import create_list
from sandbox.posts.services import create_post
from sandbox.profiles.search_index import refresh_search_text


def test_the_composer_offers_the_readers_and_the_rules(client_as, people, network):
    lea = people["student"]
    group = network.group("Commerce international", lea)
    network.group("Pas membre", people["zoe"])
    pro = create_list(lea, "Pro")
    page = client_as(lea).get("/").get_data(as_text=True)
    assert "Be concise and interesting, and choose your readers." in page
    assert 'maxlength="3000"' in page and 'data-post-counter="composer-count"' in page
    assert f'<option value="group:{group.id}">Commerce international</option>' in page
    assert "Pas membre" not in page
    assert f'<option value="list:{pro.id}">Pro</option>' in page
    assert 'accept="image/jpeg,image/png,image/webp"' in page and "JPEG, PNG, WebP" in page
    assert 'enctype="multipart/form-data"' in page


def test_a_refused_post_keeps_what_was_typed_and_chosen(client_as, people):
    pro = create_list(people["student"], "Pro")
    response = client_as(people["student"]).post("/posts/", data={
        "body": "x" * 3001, "audience": f"list:{pro.id}", "next": "/hashtags/stage"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'role="alert"' in page
    assert f'<option value="list:{pro.id}" selected>Pro</option>' in page
    assert 'name="next" value="/hashtags/stage"' in page


def test_the_post_page_shows_the_card_and_the_comments(client_as, people):
    post = create_post(people["student"], body="Mon premier post #stage", audience="network")
    page = client_as(people["classmate"]).get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Mon premier post" in page and 'id="comments"' in page
    assert client_as(people["other_student"]).get(f"/posts/{post.id}").status_code == 404
    assert client_as(people["classmate"]).get("/posts/999999").status_code == 404


def test_the_author_gets_edit_and_delete_others_do_not(client_as, people):
    post = create_post(people["student"], body="Bonjour", audience="network")
    mine = client_as(people["student"]).get(f"/posts/{post.id}").get_data(as_text=True)
    assert f'/posts/{post.id}/edit"' in mine and f'/posts/{post.id}/delete"' in mine
    assert "data-confirm" in mine
    theirs = client_as(people["classmate"]).get(f"/posts/{post.id}").get_data(as_text=True)
    assert f'/posts/{post.id}/edit"' not in theirs and f'/posts/{post.id}/share"' in theirs


def test_a_mention_links_only_for_readers_who_may_see_the_person(client_as, people, school,
                                                                 network):
    # Léa's class opens to the school; Nina (other class, open too) may read a network post.
    school["class"].network_scope = NetworkScope.SCHOOL
    school["other_class"].network_scope = NetworkScope.SCHOOL
    db.session.commit()
    post = create_post(people["student"], body="Salut @hugo.petit et @nina.roux",
                       audience="network")
    page = client_as(people["classmate"]).get(f"/posts/{post.id}").get_data(as_text=True)
    assert f'<a class="mention" href="/people/{people["classmate"].id}">@hugo.petit</a>' in page
    assert f'href="/people/{people["other_student"].id}">@nina.roux</a>' in page
    school["other_class"].network_scope = NetworkScope.CLASS
    db.session.commit()
    page = client_as(people["classmate"]).get(f"/posts/{post.id}").get_data(as_text=True)
    assert "@nina.roux" in page and f'/people/{people["other_student"].id}"' not in page


def test_the_hashtag_page_lists_visible_posts_and_follows(client_as, people, network):
    create_post(people["classmate"], body="Salon de l'#Alternance", audience="network")
    create_post(people["other_student"], body="Autre classe #alternance", audience="network")
    client = client_as(people["student"])
    assert client.get("/hashtags/Alternance").headers["Location"] == "/hashtags/alternance"
    assert client.get("/hashtags/pas%20un%20tag").status_code == 404
    page = client.get("/hashtags/alternance").get_data(as_text=True)
    assert "Salon de l" in page and "Autre classe" not in page
    assert 'action="/follows/hashtags/alternance"' in page
    response = client.post("/follows/hashtags/alternance", data={"next": "/hashtags/alternance"})
    assert response.headers["Location"] == "/hashtags/alternance"
    page = client.get("/hashtags/alternance").get_data(as_text=True)
    assert 'action="/follows/hashtags/alternance/delete"' in page
    assert "Salon de l" in client.get("/").get_data(as_text=True)  # now in the news


def test_the_hashtag_page_pages(client_as, people, network):
    for number in range(23):
        create_post(people["student"], body=f"Post {number} #oral", audience="network")
    client = client_as(people["student"])
    page = client.get("/hashtags/oral").get_data(as_text=True)
    assert 'rel="next"' in page
    link = page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    fragment = client.get(link.replace("&amp;", "&"), headers={"X-Requested-With": "fetch"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Post 2 #oral" in fragment.get_data(as_text=True).replace(
        '<a class="hashtag" href="/hashtags/oral">#oral</a>', "#oral")


def test_mention_suggestions_offer_only_visible_people(client_as, people, school):
    client = client_as(people["student"])
    found = client.get("/posts/mentions?q=hu").get_json()["people"]
    assert found == [{"handle": "hugo.petit", "name": people["classmate"].name_for(
        people["student"])}]
    assert client.get("/posts/mentions?q=nina").get_json()["people"] == []  # other class
    assert client.get("/posts/mentions?q=").get_json()["people"] == []
    # A pseudonym hides the real name: it is not searchable by it.
    hugo = people["classmate"]
    hugo.pseudonym, hugo.first_name = "Le Négociateur", "Hippolyte"
    refresh_search_text(hugo)
    db.session.commit()
    offered = client.get("/posts/mentions?q=neg").get_json()["people"]
    assert offered == [{"handle": "le.negociateur", "name": "Le Négociateur"}]
    assert "hugo.petit" not in client.get("/posts/mentions?q=le.n").get_data(as_text=True)
    assert client.get("/posts/mentions?q=hippo").get_json()["people"] == []
    assert client.get("/posts/mentions?q=hugo").get_json()["people"] == []  # nor by login
