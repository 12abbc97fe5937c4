"""Posts get audiences, images, edits and shares; comments, likes, groups, direct messages.

Revision ID: c94bb0774a63
Revises: ed16e2d57e7f
Created: 2026-11-22 01:57:31.080880
"""

from alembic import op
import sqlalchemy as sa


revision = 'c94bb0774a63'
down_revision = 'ed16e2d57e7f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_user_id', sa.Integer(), nullable=False),
    sa.Column('second_user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('first_user_id < second_user_id', name=op.f('ck_conversations_ordered_pair')),
    sa.ForeignKeyConstraint(['first_user_id'], ['users.id'], name=op.f('fk_conversations_first_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['second_user_id'], ['users.id'], name=op.f('fk_conversations_second_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
    sa.UniqueConstraint('first_user_id', 'second_user_id', name=op.f('uq_conversations_first_user_id'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_last_message_at'), ['last_message_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_second_user_id'), ['second_user_id'], unique=False)

    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('join_policy', sa.Enum('open', 'request', name='joinpolicy', native_enum=False, length=20), server_default='open', nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_groups_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_groups_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('slug', name=op.f('uq_groups_slug'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_groups_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('group_memberships',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('member', 'admin', name='memberrole', native_enum=False, length=20), server_default='member', nullable=False),
    sa.Column('status', sa.Enum('active', 'pending', name='membershipstatus', native_enum=False, length=20), server_default='active', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_memberships_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_group_memberships'))
    )
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.create_index('ix_group_memberships_user_status', ['user_id', 'status'], unique=False)

    op.create_table('group_topics',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_topics_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'tag', name=op.f('pk_group_topics'))
    )
    with op.batch_alter_table('group_topics', schema=None) as batch_op:
        batch_op.create_index('ix_group_topics_tag', ['tag'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_messages_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_messages_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_messages_sender_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_conversation_order', ['conversation_id', 'id'], unique=False)
        batch_op.create_index('ix_messages_recipient_read', ['recipient_id', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_sender_id'), ['sender_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_comments_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_comments_post_created', ['post_id', 'created_at'], unique=False)

    op.create_table('post_hashtags',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_hashtags_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'tag', name=op.f('pk_post_hashtags'))
    )
    with op.batch_alter_table('post_hashtags', schema=None) as batch_op:
        batch_op.create_index('ix_post_hashtags_tag_post', ['tag', 'post_id'], unique=False)

    op.create_table('post_likes',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_likes_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_post_likes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'user_id', name=op.f('pk_post_likes'))
    )
    with op.batch_alter_table('post_likes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_likes_user_id'), ['user_id'], unique=False)

    op.create_table('post_mentions',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_mentions_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_post_mentions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'user_id', name=op.f('pk_post_mentions'))
    )
    with op.batch_alter_table('post_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_mentions_user_id'), ['user_id'], unique=False)

    op.create_table('comment_likes',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_likes_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_comment_likes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', 'user_id', name=op.f('pk_comment_likes'))
    )
    with op.batch_alter_table('comment_likes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_likes_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('students_create_groups', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contact_list_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('image_path', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('shared_post_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_posts_contact_list_id'), ['contact_list_id'], unique=False)
        batch_op.create_index('ix_posts_created_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_posts_group_created', ['group_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_shared_post_id'), ['shared_post_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_posts_contact_list_id_contact_lists'), 'contact_lists', ['contact_list_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_posts_shared_post_id_posts'), 'posts', ['shared_post_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_posts_group_id_groups'), 'groups', ['group_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_posts_group_id_groups'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_posts_shared_post_id_posts'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_posts_contact_list_id_contact_lists'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_posts_shared_post_id'))
        batch_op.drop_index('ix_posts_group_created')
        batch_op.drop_index('ix_posts_created_id')
        batch_op.drop_index(batch_op.f('ix_posts_contact_list_id'))
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('shared_post_id')
        batch_op.drop_column('image_path')
        batch_op.drop_column('contact_list_id')
        batch_op.drop_column('group_id')

    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.drop_column('students_create_groups')

    with op.batch_alter_table('comment_likes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_likes_user_id'))

    op.drop_table('comment_likes')
    with op.batch_alter_table('post_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_mentions_user_id'))

    op.drop_table('post_mentions')
    with op.batch_alter_table('post_likes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_likes_user_id'))

    op.drop_table('post_likes')
    with op.batch_alter_table('post_hashtags', schema=None) as batch_op:
        batch_op.drop_index('ix_post_hashtags_tag_post')

    op.drop_table('post_hashtags')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_post_created')
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))

    op.drop_table('comments')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_sender_id'))
        batch_op.drop_index('ix_messages_recipient_read')
        batch_op.drop_index('ix_messages_conversation_order')

    op.drop_table('messages')
    with op.batch_alter_table('group_topics', schema=None) as batch_op:
        batch_op.drop_index('ix_group_topics_tag')

    op.drop_table('group_topics')
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_group_memberships_user_status')

    op.drop_table('group_memberships')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_groups_class_id'))

    op.drop_table('groups')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_second_user_id'))
        batch_op.drop_index(batch_op.f('ix_conversations_last_message_at'))

    op.drop_table('conversations')
