"""Accounts: users, roles, logging in, joining a class, passwords."""
