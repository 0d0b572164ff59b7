"""Platform-neutral bot: parses command text, runs it against the knowledge base, returns a neutral reply."""
