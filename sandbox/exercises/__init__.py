"""Fablab exercises: teams, roles, objectives, phases with a shared timer, a live board, a debrief."""
