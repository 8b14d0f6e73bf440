"""Reviewing: the queue, assignment, conflicts of interest, the checklist and the decisions."""
