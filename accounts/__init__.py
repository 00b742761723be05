"""Logging in: the log-in pages, lock-out and rate limits, two-factor, session limits."""
