"""Grading: each class's rubric (weighted criteria), the suggestion computed from the activity,
and the teacher's scores and comments that override it."""
