"""Issued credentials: numbers, status, expiry, revocation, badges and the public profile."""
