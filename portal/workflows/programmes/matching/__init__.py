"""Matching that learns: mentors ranked for a protégé by fit and by how their past pairings went, with the
reasons said in words; the coordinator's suggested pairs."""
