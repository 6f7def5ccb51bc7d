"""Accounts: the custom user model, sign-up, log-in and personal API tokens."""
