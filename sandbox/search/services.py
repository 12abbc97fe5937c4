"""Search: accent- and case-insensitive on every engine, and never a field the viewer may not see.

Candidates come from folded search keys (any field); a person is then kept only when every word
of the query is found in what the viewer may see of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from sandbox.accounts.models import Role, User
from sandbox.companies.models import Company
from sandbox.core.text import fold
from sandbox.extensions import db
from sandbox.network.scope import visible_people
from sandbox.posts.cards import Cards, load_cards, posts_with_cards
from sandbox.posts.feed import visible_here
from sandbox.posts.models import Post, PostHashtag
from sandbox.posts.text import hashtags_in
from sandbox.profiles.models import Profile, ProfileHashtag
from sandbox.profiles.visibility import Standing, standings, visible_fields

MAX_PEOPLE = 20
MAX_COMPANIES = 10
MAX_HASHTAGS = 12
MAX_POSTS = 10
_CANDIDATES = 100
_POST_CANDIDATES = 200
# Letters that French and other Latin texts accent: in a LIKE pattern they become "_" (any one
# character), so that "ecole" finds "École" on every engine; Python then checks the real match.
_ACCENTED = set("aceinouy")


@dataclass(frozen=True)
class PersonResult:
    user: User
    name: str
    headline: str | None
    shows_photo: bool


@dataclass(frozen=True)
class SearchResults:
    query: str
    people: list[PersonResult]
    companies: list[Company]
    hashtags: list[tuple[str, int]]  # tag, number of people the viewer sees with it
    posts: list[Post] = field(default_factory=list)  # newest first, visible to the viewer
    post_cards: Cards = field(default_factory=Cards)

    @property
    def empty(self) -> bool:
        return not (self.people or self.companies or self.hashtags or self.posts)


def _like(words: list[str], column: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
    escaped = [word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for word in words]
    return sa.and_(*(column.like(f"%{word}%", escape="\\") for word in escaped))


def _seen_text(viewer: User, user: User, fields: frozenset[str]) -> str:
    """The folded text of what `viewer` sees of `user`: the name as shown to them, and fields."""
    profile = user.profile
    parts = [user.name_for(viewer)]
    if "headline" in fields:
        parts.append(profile.headline)
    if "city" in fields:
        parts.append(profile.city)
    if "skills" in fields:
        parts.extend(skill.name for skill in profile.skills)
    if "hashtags" in fields:
        parts.extend(f"#{tag.tag}" for tag in profile.hashtags)
    return fold(" ".join(parts))


def search(viewer: User, query: str) -> SearchResults:
    words = fold("".join(char for char in query if char.isprintable())).split()[:6]
    if not words:
        return SearchResults(query=query, people=[], companies=[], hashtags=[])
    posts = _posts(viewer, words)
    return SearchResults(
        query=query,
        people=_people(viewer, words),
        companies=_companies(words),
        hashtags=_hashtags(viewer, words),
        posts=posts,
        post_cards=load_cards(viewer, posts),
    )


def _people(viewer: User, words: list[str]) -> list[PersonResult]:
    candidates = list(
        db.session.scalars(
            sa.select(User)
            .join(User.profile)
            .where(visible_people(viewer), User.role != Role.ADMIN,
                   _like(words, Profile.search_text))
            .options(
                joinedload(User.profile).options(
                    selectinload(Profile.skills), selectinload(Profile.hashtags)
                ),
                joinedload(User.school_class),
            )
            .order_by(User.id)
            .limit(_CANDIDATES)
        ).unique()
    )
    levels = standings(viewer, candidates)
    results: list[PersonResult] = []
    for user in candidates:
        level = levels[user.id]
        if level is Standing.STRANGER:
            continue
        fields = visible_fields(user.profile, level)
        seen = _seen_text(viewer, user, fields)
        if all(word in seen for word in words):
            results.append(
                PersonResult(
                    user=user,
                    name=user.name_for(viewer),
                    headline=user.profile.headline if "headline" in fields else None,
                    shows_photo="photo" in fields,
                )
            )
    # Ordered by the name the viewer sees: an order by real surname would betray pseudonyms.
    results.sort(key=lambda result: fold(result.name))
    return results[:MAX_PEOPLE]


def _companies(words: list[str]) -> list[Company]:
    return list(
        db.session.scalars(
            sa.select(Company).where(_like(words, Company.search_text))
            .order_by(Company.name).limit(MAX_COMPANIES)
        )
    )


def _hashtags(viewer: User, words: list[str]) -> list[tuple[str, int]]:
    """Tags containing the query, counted over the people whose hashtags the viewer may see."""
    wanted = [word.lstrip("#") for word in words if word.lstrip("#")]
    if len(wanted) != 1:
        return []
    rows = db.session.execute(
        sa.select(ProfileHashtag.tag, User)
        .join(User, User.id == ProfileHashtag.profile_id)
        .where(visible_people(viewer), _like(wanted, ProfileHashtag.tag))
        .options(joinedload(User.profile))
        .limit(_CANDIDATES * 5)
    ).all()
    levels = standings(viewer, {user.id: user for _tag, user in rows}.values())
    counts: dict[str, int] = {}
    for tag, user in rows:
        if "hashtags" in visible_fields(user.profile, levels[user.id]):
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_HASHTAGS]


def _accent_blind(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "".join("_" if char in _ACCENTED else char for char in escaped)


def _posts(viewer: User, words: list[str]) -> list[Post]:
    """The newest visible posts holding every word ("#tag" words: that hashtag), a few at most.

    Candidates come from an accent-blind LIKE on the newest posts; the folded text decides.
    """
    tags = [tag for word in words if word.startswith("#") for tag in hashtags_in(word)]
    plain = [word for word in words if not word.startswith("#")]
    if not tags and not plain:
        return []
    conditions = [
        sa.exists().where(PostHashtag.post_id == Post.id, PostHashtag.tag == tag)
        for tag in tags
    ]
    conditions += [
        sa.func.lower(Post.body).like(f"%{_accent_blind(word)}%", escape="\\")
        for word in plain
    ]
    rows = db.session.execute(
        sa.select(Post.id, Post.body)
        .where(*conditions, visible_here(viewer))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(_POST_CANDIDATES)
    ).all()
    found = [post_id for post_id, body in rows if all(word in fold(body) for word in plain)]
    return posts_with_cards(found[:MAX_POSTS])
