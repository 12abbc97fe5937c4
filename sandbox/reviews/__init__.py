"""Trainees' reviews of the companies where they did an internship."""
