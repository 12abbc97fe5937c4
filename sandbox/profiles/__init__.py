"""Profiles: the professional identity a student builds, each field with its visibility."""
