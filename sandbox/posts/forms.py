"""Reading the composer: body, audience, image, quoted post.

The composer's one audience menu sends "network", "connections", "group:<id>" or "list:<id>",
so that it works without JavaScript on a phone; the separate `group_id` and `list_id` fields
are accepted too (a group page's composer sends `audience=group` and `group_id`).
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict

from sandbox.posts.models import Audience

MAX_ID = 2**31 - 1


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None


@dataclass(frozen=True)
class ComposerInput:
    body: str
    audience: str
    group_id: int | None = None
    list_id: int | None = None
    image: bytes | None = None
    shared_post_id: int | None = None
    shows_people: bool = False
    photo_tags: str = ""

    @property
    def choice(self) -> str:
        """The value of the audience menu that gives back this choice."""
        if self.audience == Audience.GROUP and self.group_id:
            return f"group:{self.group_id}"
        if self.audience == Audience.LIST and self.list_id:
            return f"list:{self.list_id}"
        return self.audience


def read_composer(form: MultiDict | ImmutableMultiDict,
                  files: MultiDict | ImmutableMultiDict | None = None) -> ComposerInput:
    """What was typed and chosen; nothing is checked here (the service does it)."""
    raw = (form.get("audience") or Audience.NETWORK.value).strip()
    kind, _, number = raw.partition(":")
    group_id, list_id = _int(form.get("group_id")), _int(form.get("list_id"))
    if number:
        group_id = _int(number) if kind == Audience.GROUP else group_id
        list_id = _int(number) if kind == Audience.LIST else list_id
    upload: FileStorage | None = files.get("image") if files else None
    image = upload.read() if upload is not None and upload.filename else None
    return ComposerInput(
        body=form.get("body", ""),
        audience=kind,
        group_id=group_id,
        list_id=list_id,
        image=image or None,
        shared_post_id=_int(form.get("shared_post_id")),
        shows_people=form.get("shows_people") == "1",
        photo_tags=(form.get("photo_tags") or "")[:500],
    )
