"""An application for a credential: its sections, eligibility, records, submission and renewal."""
