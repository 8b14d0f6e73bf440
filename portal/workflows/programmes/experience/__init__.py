"""Experience by category: a programme's categories and targets, what the mentee logs, the mentor's
acknowledgement, and progress against each target at the checkpoints that review it."""
