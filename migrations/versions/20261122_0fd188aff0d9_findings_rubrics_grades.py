"""Charter findings (what became of each), rubrics and grades; activity events outlive an erased student.

Revision ID: 0fd188aff0d9
Revises: a2cd4281bab5
Created: 2026-11-22 07:17:54.102989
"""

from alembic import op
import sqlalchemy as sa


revision = '0fd188aff0d9'
down_revision = 'a2cd4281bab5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rubrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('scale', sa.Integer(), server_default='20', nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_rubrics_class_id_classes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubrics')),
    sa.UniqueConstraint('class_id', name=op.f('uq_rubrics_class_id'))
    )
    op.create_table('charter_findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('content_kind', sa.String(length=20), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=60), server_default='', nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('rule', sa.String(length=40), server_default='', nullable=False),
    sa.Column('severity', sa.Enum('coach', 'flag', 'block', name='severity', native_enum=False, length=20), nullable=False),
    sa.Column('outcome', sa.Enum('blocked', 'coached', 'fixed', 'overridden', 'flagged', name='findingoutcome', native_enum=False, length=20), nullable=False),
    sa.Column('excerpt', sa.String(length=300), server_default='', nullable=False),
    sa.Column('context', sa.Text(), server_default='', nullable=False),
    sa.Column('context_start', sa.Integer(), server_default='0', nullable=False),
    sa.Column('context_end', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_charter_findings_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_charter_findings_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charter_findings'))
    )
    with op.batch_alter_table('charter_findings', schema=None) as batch_op:
        batch_op.create_index('ix_charter_findings_class_created', ['class_id', 'created_at'], unique=False)
        batch_op.create_index('ix_charter_findings_user_outcome', ['user_id', 'outcome'], unique=False)

    op.create_table('rubric_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('measure', sa.Enum('identity', 'network', 'visibility', 'watch', 'charter', 'manual', name='measure', native_enum=False, length=20), nullable=False),
    sa.Column('label_fr', sa.String(length=120), nullable=False),
    sa.Column('label_en', sa.String(length=120), nullable=False),
    sa.Column('description_fr', sa.Text(), server_default='', nullable=False),
    sa.Column('description_en', sa.Text(), server_default='', nullable=False),
    sa.Column('weight', sa.Integer(), server_default='1', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubrics.id'], name=op.f('fk_rubric_criteria_rubric_id_rubrics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_criteria')),
    sa.UniqueConstraint('rubric_id', 'key', name=op.f('uq_rubric_criteria_rubric_id'))
    )
    op.create_table('grades',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('graded_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['rubric_criteria.id'], name=op.f('fk_grades_criterion_id_rubric_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['graded_by_id'], ['users.id'], name=op.f('fk_grades_graded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_grades_student_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grades')),
    sa.UniqueConstraint('criterion_id', 'student_id', name=op.f('uq_grades_criterion_id'))
    )
    with op.batch_alter_table('grades', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grades_student_id'), ['student_id'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_author_id')
        batch_op.create_index('ix_comments_author_created', ['author_id', 'created_at'], unique=False)

    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_events_class_created')
        batch_op.create_index('ix_activity_events_class_created_kind', ['class_id', 'created_at', 'kind'], unique=False)
        batch_op.create_index('ix_activity_events_user_kind_created', ['user_id', 'kind', 'created_at'], unique=False)

    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('fk_activity_events_user_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_activity_events_user_id_users'), 'users', ['user_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_events_class_created_kind')
        batch_op.drop_index('ix_activity_events_user_kind_created')
        batch_op.create_index('ix_activity_events_class_created', ['class_id', 'created_at'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_author_created')
        batch_op.create_index('ix_comments_author_id', ['author_id'], unique=False)

    # Anonymised events (an erased student's) cannot go back under a NOT NULL column.
    op.execute("DELETE FROM activity_events WHERE user_id IS NULL")
    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_activity_events_user_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_activity_events_user_id_users'), 'users', ['user_id'], ['id'], ondelete='CASCADE')
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('grades', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grades_student_id'))

    op.drop_table('grades')
    op.drop_table('rubric_criteria')
    with op.batch_alter_table('charter_findings', schema=None) as batch_op:
        batch_op.drop_index('ix_charter_findings_user_outcome')
        batch_op.drop_index('ix_charter_findings_class_created')

    op.drop_table('charter_findings')
    op.drop_table('rubrics')
