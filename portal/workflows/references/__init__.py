"""Referee verification: requests, links, answers, reminders, expiry and trust signals."""
