"""A person answers by link: single-use links, expiry, reminders and the one sweep, for every kind of request."""
