"""The counters under posts and the comment threads: right numbers, fixed number of queries."""

from __future__ import annotations

from sandbox.core.time import utcnow
from sandbox.extensions import db
from sandbox.posts import reactions
from sandbox.posts.models import Audience, CommentLike, PostLike
from sandbox.posts.reactions import PostReactions


def test_every_post_gets_counters_even_without_reactions(school, make_post):
    posts = [make_post(school["student"]) for _ in range(3)]
    summaries = reactions.summaries_for(school["classmate"], posts)
    assert summaries == {post.id: PostReactions() for post in posts}
    assert reactions.summaries_for(school["classmate"], []) == {}


def test_counts_leave_out_deleted_comments_and_their_replies(school, make_post, make_comment):
    lea, hugo = school["student"], school["classmate"]
    post = make_post(lea)
    kept = make_comment(hugo, post)
    make_comment(lea, post, parent=kept)
    gone = make_comment(hugo, post, deleted_at=utcnow())
    make_comment(lea, post, parent=gone)  # hidden with its deleted parent
    make_comment(lea, post, parent=kept, deleted_at=utcnow())
    assert reactions.summary_for(lea, post).comment_count == 2


def test_shares_count_only_those_the_viewer_may_see(school, make_post):
    lea, hugo, teacher = school["student"], school["classmate"], school["teacher"]
    post = make_post(lea)
    make_post(hugo, body="RT @lea.martin", shared_post_id=post.id)
    make_post(hugo, body="Pour mes contacts", shared_post_id=post.id,
              audience=Audience.CONNECTIONS)  # lea is not hugo's connection
    make_post(hugo, body="Supprimé", shared_post_id=post.id, deleted_at=utcnow())
    assert reactions.summary_for(lea, post).share_count == 1
    assert reactions.summary_for(teacher, post).share_count == 2  # teachers see their students


def test_likes_are_counted_per_post_with_the_viewers_own(school, make_post):
    lea, hugo, teacher = school["student"], school["classmate"], school["teacher"]
    first, second = make_post(lea), make_post(lea)
    db.session.add_all([PostLike(post_id=first.id, user_id=hugo.id),
                        PostLike(post_id=first.id, user_id=teacher.id),
                        PostLike(post_id=second.id, user_id=teacher.id)])
    db.session.commit()
    summaries = reactions.summaries_for(hugo, [first, second])
    assert (summaries[first.id].like_count, summaries[first.id].liked_by_viewer) == (2, True)
    assert (summaries[second.id].like_count, summaries[second.id].liked_by_viewer) == (1, False)


def test_summaries_run_a_fixed_number_of_queries(school, make_post, make_comment,
                                                 count_queries):
    lea, hugo = school["student"], school["classmate"]
    posts = []
    for number in range(20):
        post = make_post(lea, body=f"Post {number}")
        make_comment(hugo, post)
        make_post(hugo, body="RT", shared_post_id=post.id)
        db.session.add(PostLike(post_id=post.id, user_id=hugo.id))
        posts.append(post)
    db.session.commit()
    # As a page has them: the posts and the viewer loaded (the commit above expired them).
    assert [post.id for post in posts] and hugo.school_class is not None
    with count_queries() as one:
        reactions.summaries_for(hugo, posts[:1])
    with count_queries() as twenty:
        summaries = reactions.summaries_for(hugo, posts)
    assert one.count == twenty.count <= 3
    assert all(s.like_count == s.comment_count == s.share_count == 1
               for s in summaries.values())


def test_comment_threads_run_a_fixed_number_of_queries(school, factories, make_post,
                                                       make_comment, count_queries):
    lea, teacher = school["student"], school["teacher"]
    klass = school["class"]
    post = make_post(lea)
    few_post = make_post(lea)
    make_comment(school["classmate"], few_post)
    tops = []
    for number in range(10):
        author = factories.make_student(klass)
        top = make_comment(author, post, f"Commentaire {number}")
        tops.append(top)
        reply = make_comment(factories.make_student(klass), post, "Réponse", parent=top)
        db.session.add_all([CommentLike(comment_id=top.id, user_id=lea.id),
                            CommentLike(comment_id=reply.id, user_id=teacher.id)])
    db.session.commit()
    db.session.expire_all()
    with count_queries() as few:
        threads = reactions.comments_for(lea, few_post)
        _touch(threads, lea)
    db.session.expire_all()
    with count_queries() as many:
        threads = reactions.comments_for(lea, post)
        _touch(threads, lea)
    assert few.count == many.count
    assert [t.comment.comment.id for t in threads] == [top.id for top in tops]
    assert all(len(t.replies) == 1 for t in threads)
    assert all(t.comment.liked_by_viewer and t.comment.like_count == 1 for t in threads)
    assert all(not t.replies[0].liked_by_viewer and t.replies[0].like_count == 1
               for t in threads)


def _touch(threads, viewer) -> None:  # type: ignore[no-untyped-def]
    """What the template reads of each comment: the author's name and avatar."""
    for thread in threads:
        for view in [thread.comment, *thread.replies]:
            view.comment.author.name_for(viewer)
            assert view.comment.author.initials
            assert view.comment.author.profile is not None
