"""The network: invitations, follows, lists, recommendations, introductions, notifications.

Also endorsements, the outcomes journal, and a weekly invitation cap per class.

Revision ID: ed16e2d57e7f
Revises: b1a8f85236ca
Created: 2026-11-22 01:00:11.647165
"""

from alembic import op
import sqlalchemy as sa


revision = 'ed16e2d57e7f'
down_revision = 'b1a8f85236ca'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_contact_lists_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_lists')),
    sa.UniqueConstraint('owner_id', 'name', name=op.f('uq_contact_lists_owner_id'))
    )
    with op.batch_alter_table('contact_lists', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_lists_owner_id'), ['owner_id'], unique=False)

    op.create_table('followed_companies',
    sa.Column('follower_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_followed_companies_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['follower_id'], ['users.id'], name=op.f('fk_followed_companies_follower_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('follower_id', 'company_id', name=op.f('pk_followed_companies'))
    )
    with op.batch_alter_table('followed_companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followed_companies_company_id'), ['company_id'], unique=False)

    op.create_table('followed_hashtags',
    sa.Column('follower_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['follower_id'], ['users.id'], name=op.f('fk_followed_hashtags_follower_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('follower_id', 'tag', name=op.f('pk_followed_hashtags'))
    )
    with op.batch_alter_table('followed_hashtags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followed_hashtags_tag'), ['tag'], unique=False)

    op.create_table('followed_people',
    sa.Column('follower_id', sa.Integer(), nullable=False),
    sa.Column('followed_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['followed_id'], ['users.id'], name=op.f('fk_followed_people_followed_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['follower_id'], ['users.id'], name=op.f('fk_followed_people_follower_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('follower_id', 'followed_id', name=op.f('pk_followed_people'))
    )
    with op.batch_alter_table('followed_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followed_people_followed_id'), ['followed_id'], unique=False)

    op.create_table('introductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('introducer_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('introduced_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['introduced_id'], ['users.id'], name=op.f('fk_introductions_introduced_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['introducer_id'], ['users.id'], name=op.f('fk_introductions_introducer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_introductions_student_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introductions'))
    )
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introductions_introduced_id'), ['introduced_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_introducer_id'), ['introducer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_student_id'), ['student_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=300), server_default='', nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'ignored', 'withdrawn', name='invitationstatus', native_enum=False, length=20), server_default='pending', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_invitations_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_invitations_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_invitations_sender_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index('ix_invitations_recipient_status', ['recipient_id', 'status'], unique=False)
        batch_op.create_index('ix_invitations_sender_created', ['sender_id', 'created_at'], unique=False)
        batch_op.create_index('uq_invitations_pending_pair', ['sender_id', 'recipient_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('network_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('name_and_number', 'key_date', 'recommendation', 'advice', 'appointment', 'recruitment', 'document', 'support', name='outcomekind', native_enum=False, length=30), nullable=False),
    sa.Column('note', sa.String(length=500), server_default='', nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['users.id'], name=op.f('fk_network_outcomes_contact_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_network_outcomes_student_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_outcomes'))
    )
    with op.batch_alter_table('network_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_outcomes_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_network_outcomes_student_created', ['student_id', 'created_at'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('subject_type', sa.String(length=40), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_actor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_notifications_user_read_created', ['user_id', 'read_at', 'created_at'], unique=False)

    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', name='recommendationstatus', native_enum=False, length=20), server_default='pending', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_recommendations_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_recommendations_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations'))
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendations_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_recommendations_recipient_status', ['recipient_id', 'status'], unique=False)
        batch_op.create_index('uq_recommendations_pending_pair', ['author_id', 'recipient_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('contact_list_members',
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['users.id'], name=op.f('fk_contact_list_members_contact_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['list_id'], ['contact_lists.id'], name=op.f('fk_contact_list_members_list_id_contact_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('list_id', 'contact_id', name=op.f('pk_contact_list_members'))
    )
    with op.batch_alter_table('contact_list_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_list_members_contact_id'), ['contact_id'], unique=False)

    op.create_table('endorsements',
    sa.Column('endorser_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['endorser_id'], ['users.id'], name=op.f('fk_endorsements_endorser_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['profile_skills.id'], name=op.f('fk_endorsements_skill_id_profile_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('endorser_id', 'skill_id', name=op.f('pk_endorsements'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_skill_id'), ['skill_id'], unique=False)

    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weekly_invitation_cap', sa.Integer(), server_default='25', nullable=False))



def downgrade():
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.drop_column('weekly_invitation_cap')

    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_skill_id'))

    op.drop_table('endorsements')
    with op.batch_alter_table('contact_list_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_list_members_contact_id'))

    op.drop_table('contact_list_members')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index('uq_recommendations_pending_pair', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_recommendations_recipient_status')
        batch_op.drop_index(batch_op.f('ix_recommendations_author_id'))

    op.drop_table('recommendations')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read_created')
        batch_op.drop_index(batch_op.f('ix_notifications_actor_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('network_outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_network_outcomes_student_created')
        batch_op.drop_index(batch_op.f('ix_network_outcomes_contact_id'))

    op.drop_table('network_outcomes')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index('uq_invitations_pending_pair', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_invitations_sender_created')
        batch_op.drop_index('ix_invitations_recipient_status')

    op.drop_table('invitations')
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_introductions_student_id'))
        batch_op.drop_index(batch_op.f('ix_introductions_introducer_id'))
        batch_op.drop_index(batch_op.f('ix_introductions_introduced_id'))

    op.drop_table('introductions')
    with op.batch_alter_table('followed_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followed_people_followed_id'))

    op.drop_table('followed_people')
    with op.batch_alter_table('followed_hashtags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followed_hashtags_tag'))

    op.drop_table('followed_hashtags')
    with op.batch_alter_table('followed_companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followed_companies_company_id'))

    op.drop_table('followed_companies')
    with op.batch_alter_table('contact_lists', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_lists_owner_id'))

    op.drop_table('contact_lists')
