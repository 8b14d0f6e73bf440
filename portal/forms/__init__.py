"""WTForms forms: shape only (required, types, lengths, email syntax, dates in order); rules live in workflows."""
