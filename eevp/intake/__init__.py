"""Intake: read uploaded files, map their columns, validate, redact and store them (upload to database)."""
