"""Classes: cohorts of students with their teachers, join code, settings and charter."""
