"""The store: every imported snapshot of every list and its records, and the schema migrations it runs."""
