"""Mentoring programmes: directory, pairings, agreements, meetings, evaluations and supervision."""
