"""Supervisor declarations: the named supervisor declares, by emailed link, that they supervise the applicant."""
