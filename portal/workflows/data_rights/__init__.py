"""A person's data rights: a copy of everything the portal holds about them, erasure, and stale drafts."""
