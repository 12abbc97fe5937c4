"""Class charters (versions, allowlists, signatures), moderation cases, reports, audit log, photo consent.

Revision ID: a2cd4281bab5
Revises: c94bb0774a63
Created: 2026-11-22 04:28:13.307476
"""

from alembic import op
import sqlalchemy as sa


revision = 'a2cd4281bab5'
down_revision = 'c94bb0774a63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('content_kind', sa.String(length=20), nullable=True),
    sa.Column('content_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_audit_entries_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_audit_entries_class_id_classes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_entries_class_created', ['class_id', 'created_at'], unique=False)

    op.create_table('charter_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_charter_signatures_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_charter_signatures_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charter_signatures')),
    sa.UniqueConstraint('user_id', 'class_id', 'version', name=op.f('uq_charter_signatures_user_id'))
    )
    with op.batch_alter_table('charter_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charter_signatures_class_id'), ['class_id'], unique=False)

    op.create_table('class_charters',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('sms_allowlist', sa.JSON(), nullable=False),
    sa.Column('school_domains', sa.JSON(), nullable=False),
    sa.Column('allowed_emails', sa.JSON(), nullable=False),
    sa.Column('school_address', sa.Text(), server_default='', nullable=False),
    sa.Column('forbidden_words', sa.JSON(), nullable=False),
    sa.Column('posting_windows', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_charters_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_class_charters_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('class_id', name=op.f('pk_class_charters'))
    )
    # Every existing class gets its charter's first version, with empty allowlists.
    op.execute(
        "INSERT INTO class_charters (class_id, version, sms_allowlist, school_domains,"
        " allowed_emails, school_address, forbidden_words, posting_windows, updated_at)"
        " SELECT id, 1, '[]', '[]', '[]', '', '[]', '[]', CURRENT_TIMESTAMP FROM classes"
    )
    op.create_table('moderation_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('content_kind', sa.Enum('post', 'comment', 'message', 'invitation', 'profile', 'recommendation', 'group', name='contentkind', native_enum=False, length=20), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('flagged', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('report_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('status', sa.Enum('open', 'approved', 'hidden', 'deleted', name='casestatus', native_enum=False, length=20), server_default='open', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_moderation_cases_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_moderation_cases_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_moderation_cases_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_cases')),
    sa.UniqueConstraint('content_kind', 'content_id', name=op.f('uq_moderation_cases_content_kind'))
    )
    with op.batch_alter_table('moderation_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_cases_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_moderation_cases_class_status', ['class_id', 'status', 'updated_at'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('personal_information', 'insult', 'discrimination', 'harassment', 'false_information', 'spam', 'other', name='reportreason', native_enum=False), nullable=False),
    sa.Column('details', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['moderation_cases.id'], name=op.f('fk_reports_case_id_moderation_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_reports_reporter_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('case_id', 'reporter_id', name=op.f('uq_reports_case_id'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_reporter_id'), ['reporter_id'], unique=False)

    op.create_table('photo_tags',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'declined', name='consentstatus', native_enum=False, length=20), server_default='pending', nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_photo_tags_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_photo_tags_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'user_id', name=op.f('pk_photo_tags'))
    )
    with op.batch_alter_table('photo_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_tags_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shows_people', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('awaiting_consent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('hidden_at')
        batch_op.drop_column('awaiting_consent')
        batch_op.drop_column('shows_people')

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('hidden_at')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('hidden_at')

    with op.batch_alter_table('photo_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_tags_user_id'))

    op.drop_table('photo_tags')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_reporter_id'))

    op.drop_table('reports')
    with op.batch_alter_table('moderation_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_cases_class_status')
        batch_op.drop_index(batch_op.f('ix_moderation_cases_author_id'))

    op.drop_table('moderation_cases')
    op.drop_table('class_charters')
    with op.batch_alter_table('charter_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charter_signatures_class_id'))

    op.drop_table('charter_signatures')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_class_created')
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_id'))

    op.drop_table('audit_entries')
