"""Moderation: reports, the teacher's queue of flagged and reported content, the audit log."""
