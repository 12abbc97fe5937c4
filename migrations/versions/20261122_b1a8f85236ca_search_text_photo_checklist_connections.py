"""Profiles and companies get a search key and profiles the photo checklist; connections.

Existing rows are filled in: the photo checklist starts empty and the search keys are computed
from what is already there, so a school upgrading mid-semester finds everyone at once.

Revision ID: b1a8f85236ca
Revises: 7e189daa1354
Created: 2026-11-22 00:32:29
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "b1a8f85236ca"
down_revision = "7e189daa1354"
branch_labels = None
depends_on = None


def _fold(text):
    # A frozen copy of sandbox.core.text.fold: a migration must not change when the app does.
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def upgrade():
    op.create_table(
        "connections",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["users.id"],
                                name=op.f("fk_connections_contact_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_connections_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "contact_id", name=op.f("pk_connections")),
    )
    with op.batch_alter_table("connections") as batch_op:
        batch_op.create_index(batch_op.f("ix_connections_contact_id"), ["contact_id"], unique=False)

    with op.batch_alter_table("companies") as batch_op:
        batch_op.add_column(
            sa.Column("search_text", sa.String(length=250), server_default="", nullable=False)
        )
    with op.batch_alter_table("profiles") as batch_op:
        batch_op.add_column(sa.Column("photo_checklist", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))

    _fill_existing_rows(op.get_bind())

    with op.batch_alter_table("profiles") as batch_op:
        batch_op.alter_column("photo_checklist", existing_type=sa.JSON(), nullable=False)


def _fill_existing_rows(connection):
    companies = sa.table("companies", sa.column("id"), sa.column("name"), sa.column("city"),
                         sa.column("search_text"))
    for company_id, name, city in connection.execute(
        sa.select(companies.c.id, companies.c.name, companies.c.city)
    ).all():
        connection.execute(
            companies.update().where(companies.c.id == company_id)
            .values(search_text=_fold(f"{name} {city}")[:250])
        )

    profiles = sa.table("profiles", sa.column("user_id"), sa.column("headline"),
                        sa.column("city"), sa.column("photo_checklist", sa.JSON),
                        sa.column("search_text"))
    users = sa.table("users", sa.column("id"), sa.column("first_name"), sa.column("last_name"),
                     sa.column("pseudonym"))
    skills = sa.table("profile_skills", sa.column("profile_id"), sa.column("name"))
    hashtags = sa.table("profile_hashtags", sa.column("profile_id"), sa.column("tag"))
    words = {}
    for profile_id, name in connection.execute(sa.select(skills.c.profile_id, skills.c.name)):
        words.setdefault(profile_id, []).append(name)
    for profile_id, tag in connection.execute(sa.select(hashtags.c.profile_id, hashtags.c.tag)):
        words.setdefault(profile_id, []).append(f"#{tag}")
    rows = connection.execute(
        sa.select(profiles.c.user_id, users.c.first_name, users.c.last_name, users.c.pseudonym,
                  profiles.c.headline, profiles.c.city)
        .join(users, users.c.id == profiles.c.user_id)
    ).all()
    for user_id, first, last, pseudonym, headline, city in rows:
        parts = [first, last, pseudonym or "", headline, city, *words.get(user_id, [])]
        connection.execute(
            profiles.update().where(profiles.c.user_id == user_id).values(
                photo_checklist={},
                search_text=_fold(" ".join(part for part in parts if part)),
            )
        )


def downgrade():
    with op.batch_alter_table("profiles") as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("photo_checklist")
    with op.batch_alter_table("companies") as batch_op:
        batch_op.drop_column("search_text")
    with op.batch_alter_table("connections") as batch_op:
        batch_op.drop_index(batch_op.f("ix_connections_contact_id"))
    op.drop_table("connections")
