"""Dramatiq: the broker built from config, the app-context middleware, the scheduler, and the actors.

The outbox that feeds them is ``portal.outbox``; the names they are declared under are ``portal.jobs``.
"""
