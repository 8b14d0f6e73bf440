"""Accounts: sign-up, sign-in, passwords and password reset."""
