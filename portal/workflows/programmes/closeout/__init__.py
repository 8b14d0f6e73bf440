"""The end of a mentorship: the close-out at the final checkpoint (progress per goal, next steps, readiness for
certification) and the printable agreement and summary both partners download."""
