"""Administration: staff roles, the standard reasons reviewers pick from, and records for admins."""
