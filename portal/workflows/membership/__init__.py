"""Membership: the member register an admin keeps, and applicants' claims to the member rate checked against it."""
