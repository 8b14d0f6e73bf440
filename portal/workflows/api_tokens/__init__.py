"""API tokens: an administrator's keys for the JSON API (create, authenticate, note their use, revoke)."""
