"""A mentee's career plan: milestones at 1, 2 and 4 years that outlive the pairing, reviewed at checkpoints."""
