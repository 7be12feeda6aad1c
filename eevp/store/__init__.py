"""Storage: the database schema, bulk reads, batches, accounts, the audit log, retention and erasure."""
