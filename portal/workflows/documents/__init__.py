"""What the portal does with an uploaded document: accept it, have it read, let a person settle it."""
