"""Initial schema: accounts, classes, profiles, companies, personas, charter, posts, activity.

Revision ID: 7e189daa1354
Revises: 
Created: 2026-11-22 00:23:59.914754
"""

from alembic import op
import sqlalchemy as sa


revision = '7e189daa1354'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('join_code', sa.String(length=20), nullable=False),
    sa.Column('network_scope', sa.Enum('class', 'school', name='networkscope', native_enum=False, length=20), server_default='class', nullable=False),
    sa.Column('allow_pseudonyms', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classes')),
    sa.UniqueConstraint('join_code', name=op.f('uq_classes_join_code'))
    )
    op.create_table('companies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('sector', sa.Enum('tourism', 'agrifood', 'banking', 'retail', 'industry', 'consulting', 'tech', 'ecommerce', 'logistics', 'collaborative', 'fashion', 'media', 'health', 'energy', name='sector', native_enum=False, length=20), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('founded_year', sa.Integer(), nullable=True),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('women_percent', sa.Integer(), nullable=True),
    sa.Column('average_age', sa.Integer(), nullable=True),
    sa.Column('turnover_eur', sa.BigInteger(), nullable=True),
    sa.Column('good_to_know', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')),
    sa.UniqueConstraint('slug', name=op.f('uq_companies_slug'))
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companies_sector'), ['sector'], unique=False)

    op.create_table('schools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('city', sa.String(length=80), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schools'))
    )
    op.create_table('charter_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title_fr', sa.String(length=160), nullable=False),
    sa.Column('title_en', sa.String(length=160), nullable=False),
    sa.Column('text_fr', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('checks', sa.JSON(), nullable=False),
    sa.Column('severity', sa.Enum('coach', 'flag', 'block', name='severity', native_enum=False, length=20), server_default='coach', nullable=False),
    sa.Column('enabled', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_charter_rules_class_id_classes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charter_rules')),
    sa.UniqueConstraint('class_id', 'code', name=op.f('uq_charter_rules_class_id'))
    )
    with op.batch_alter_table('charter_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charter_rules_class_id'), ['class_id'], unique=False)

    op.create_table('job_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.Enum('internship', 'apprenticeship', 'fixed_term', 'permanent', 'student_job', name='jobkind', native_enum=False, length=20), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('duration', sa.String(length=60), server_default='', nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('is_open', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_job_offers_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_offers')),
    sa.UniqueConstraint('slug', name=op.f('uq_job_offers_slug'))
    )
    with op.batch_alter_table('job_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_offers_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_offers_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_offers_kind'), ['kind'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.Enum('admin', 'teacher', 'student', 'persona', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('first_name', sa.String(length=80), nullable=False),
    sa.Column('last_name', sa.String(length=80), nullable=False),
    sa.Column('pseudonym', sa.String(length=80), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('session_token', sa.String(length=32), nullable=False),
    sa.Column('is_disabled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_users_class_id_classes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_role'), ['role'], unique=False)

    op.create_table('activity_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_activity_events_class_id_classes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_events_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_events'))
    )
    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.create_index('ix_activity_events_class_created', ['class_id', 'created_at'], unique=False)
        batch_op.create_index('ix_activity_events_user_created', ['user_id', 'created_at'], unique=False)

    op.create_table('class_teachers',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_class_teachers_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teacher_id'], ['users.id'], name=op.f('fk_class_teachers_teacher_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('class_id', 'teacher_id', name=op.f('pk_class_teachers'))
    )
    with op.batch_alter_table('class_teachers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_teachers_teacher_id'), ['teacher_id'], unique=False)

    op.create_table('personas',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('recruiter', 'manager', 'employee', 'alumni', name='personakind', native_enum=False, length=20), nullable=False),
    sa.Column('job_title', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_personas_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_personas_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_personas'))
    )
    with op.batch_alter_table('personas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personas_company_id'), ['company_id'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('audience', sa.Enum('network', 'connections', name='audience', native_enum=False, length=20), server_default='network', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_posts_author_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_created_at'), ['created_at'], unique=False)

    op.create_table('profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('headline', sa.String(length=160), server_default='', nullable=False),
    sa.Column('about', sa.Text(), server_default='', nullable=False),
    sa.Column('city', sa.String(length=80), server_default='', nullable=False),
    sa.Column('photo_path', sa.String(length=255), nullable=True),
    sa.Column('banner_path', sa.String(length=255), nullable=True),
    sa.Column('contact_email', sa.String(length=254), server_default='', nullable=False),
    sa.Column('contact_phone', sa.String(length=32), server_default='', nullable=False),
    sa.Column('visibility', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_profiles'))
    )
    op.create_table('profile_education',
    sa.Column('school', sa.String(length=160), nullable=False),
    sa.Column('diploma', sa.String(length=160), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=True),
    sa.Column('end_year', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.user_id'], name=op.f('fk_profile_education_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_education'))
    )
    with op.batch_alter_table('profile_education', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_education_profile_id'), ['profile_id'], unique=False)

    op.create_table('profile_experiences',
    sa.Column('role', sa.String(length=120), nullable=False),
    sa.Column('organisation', sa.String(length=120), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.user_id'], name=op.f('fk_profile_experiences_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_experiences'))
    )
    with op.batch_alter_table('profile_experiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_experiences_profile_id'), ['profile_id'], unique=False)

    op.create_table('profile_hashtags',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.user_id'], name=op.f('fk_profile_hashtags_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'tag', name=op.f('pk_profile_hashtags'))
    )
    with op.batch_alter_table('profile_hashtags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_hashtags_tag'), ['tag'], unique=False)

    op.create_table('profile_languages',
    sa.Column('language', sa.String(length=60), nullable=False),
    sa.Column('level', sa.String(length=10), server_default='', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.user_id'], name=op.f('fk_profile_languages_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_languages'))
    )
    with op.batch_alter_table('profile_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_languages_profile_id'), ['profile_id'], unique=False)

    op.create_table('profile_links',
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.user_id'], name=op.f('fk_profile_links_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_links'))
    )
    with op.batch_alter_table('profile_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_links_profile_id'), ['profile_id'], unique=False)

    op.create_table('profile_skills',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.user_id'], name=op.f('fk_profile_skills_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_skills'))
    )
    with op.batch_alter_table('profile_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_skills_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_profile_skills_profile_id'), ['profile_id'], unique=False)



def downgrade():
    with op.batch_alter_table('profile_skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_skills_profile_id'))
        batch_op.drop_index(batch_op.f('ix_profile_skills_name'))

    op.drop_table('profile_skills')
    with op.batch_alter_table('profile_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_links_profile_id'))

    op.drop_table('profile_links')
    with op.batch_alter_table('profile_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_languages_profile_id'))

    op.drop_table('profile_languages')
    with op.batch_alter_table('profile_hashtags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_hashtags_tag'))

    op.drop_table('profile_hashtags')
    with op.batch_alter_table('profile_experiences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_experiences_profile_id'))

    op.drop_table('profile_experiences')
    with op.batch_alter_table('profile_education', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_education_profile_id'))

    op.drop_table('profile_education')
    op.drop_table('profiles')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_created_at'))
        batch_op.drop_index('ix_posts_author_created')

    op.drop_table('posts')
    with op.batch_alter_table('personas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personas_company_id'))

    op.drop_table('personas')
    with op.batch_alter_table('class_teachers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_teachers_teacher_id'))

    op.drop_table('class_teachers')
    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_events_user_created')
        batch_op.drop_index('ix_activity_events_class_created')

    op.drop_table('activity_events')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_role'))
        batch_op.drop_index(batch_op.f('ix_users_class_id'))

    op.drop_table('users')
    with op.batch_alter_table('job_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_offers_kind'))
        batch_op.drop_index(batch_op.f('ix_job_offers_created_at'))
        batch_op.drop_index(batch_op.f('ix_job_offers_company_id'))

    op.drop_table('job_offers')
    with op.batch_alter_table('charter_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charter_rules_class_id'))

    op.drop_table('charter_rules')
    op.drop_table('schools')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_companies_sector'))

    op.drop_table('companies')
    op.drop_table('classes')
