"""The rules of the portal: the credential catalogue, THE transition table and its engine, and one package
per aggregate, each split into rules (pure), queries (reads and view-models) and operations (changes)."""
