"""Scheduled work (APScheduler): retries, reconciliation, digests."""
