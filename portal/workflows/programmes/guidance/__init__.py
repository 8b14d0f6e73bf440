"""A programme's guide: its content (defaults from guide.toml, edited per programme) and who has read it."""
