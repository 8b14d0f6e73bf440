"""Dramatiq: the broker built from config, the app-context middleware, the outbox, and the actors."""
