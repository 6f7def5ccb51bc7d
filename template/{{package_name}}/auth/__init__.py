"""Accounts: users, their passwords and API tokens, and the sign-up and log-in pages."""
