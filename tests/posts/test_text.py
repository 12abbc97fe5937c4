"""Plain text in, links out: URLs, #hashtags and @mentions; never any HTML from the author."""

from __future__ import annotations

from sandbox.extensions import db
from sandbox.posts.models import PostHashtag, PostMention
from sandbox.posts.text import handles_in, hashtags_in, index_post, render, resolve_mentions


def test_html_is_escaped_and_shown_as_text(app):
    html = str(render("<script>alert('x')</script> <b>gras</b> & co"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;gras&lt;/b&gt; &amp; co" in html


def test_urls_become_links_without_their_final_punctuation(app):
    html = str(render("Voir https://exemple.fr/offre?id=3&x=1. Et www.tremplin.fr, merci"))
    url = "https://exemple.fr/offre?id=3&amp;x=1"
    assert f'<a href="{url}" rel="nofollow ugc noopener noreferrer">{url}</a>.' in html
    assert '<a href="https://www.tremplin.fr" rel="nofollow ugc noopener noreferrer">' \
        'www.tremplin.fr</a>, merci' in html


def test_a_url_cannot_smuggle_a_script_or_an_attribute(app):
    html = str(render('javascript:alert(1) https://a.fr/"onmouseover="x <img src=x>'))
    assert "javascript:alert(1)" in html and 'href="javascript' not in html
    assert '"onmouseover' not in html.replace("&#34;", "")
    assert "<img" not in html


def test_hashtags_are_normalised_like_profiles(app):
    with app.test_request_context():
        _check_hashtags()


def _check_hashtags():
    assert hashtags_in("#Export et #BTS-CI, #Réseau! #export #a c#est &#39;") == [
        "export", "bts_ci", "reseau"]
    html = str(render("Vive #Export !"))
    assert '<a class="hashtag" href="/hashtags/export">#Export</a> !' in html


def test_handles_are_read_after_an_at_sign_but_not_in_emails(app):
    assert handles_in("Merci @Hugo.Petit. et @lea.martin, pas moi@exemple.fr ni @x") == [
        "hugo.petit", "lea.martin"]


def test_mentions_link_only_when_resolved(app):
    with app.test_request_context():
        html = str(render("Bravo @hugo.petit et @inconnu", {"hugo.petit": 42}))
    assert '<a class="mention" href="/people/42">@hugo.petit</a>' in html
    assert "@inconnu" in html and "/people/" in html and html.count("<a") == 1


def test_mentions_resolve_only_to_people_the_author_may_see(app, school, network):
    author = school["student"]
    found = resolve_mentions(author, "@hugo.petit @nina.roux @claire.recruteuse @lea.martin")
    # nina.roux is in another, closed class; nobody mentions themselves.
    assert [person.username for person in found] == ["hugo.petit", "claire.recruteuse"]


def test_a_pseudonym_is_mentioned_by_its_handle_never_by_the_login_name(app, school, network):
    hugo = school["classmate"]
    hugo.pseudonym = "Le Négociateur"
    db.session.commit()
    assert hugo.mention_handle == "le.negociateur"
    author = school["student"]
    assert resolve_mentions(author, "@hugo.petit") == []  # his login carries his real name
    assert resolve_mentions(author, "Merci @le.negociateur !") == [hugo]


def test_index_post_replaces_the_rows(app, school, network):
    author = school["student"]
    post = network.post(author, "#Stage avec @hugo.petit")
    index_post(post, author)
    db.session.commit()
    post.body = "#alternance seulement"
    index_post(post, author)
    db.session.commit()
    assert [row.tag for row in db.session.query(PostHashtag).filter_by(post_id=post.id)] == [
        "alternance"]
    assert db.session.query(PostMention).filter_by(post_id=post.id).count() == 0
