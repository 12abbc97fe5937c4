"""Notifications: stored rows first; live delivery goes through one notify() after commit."""
