"""Slack bot that runs the Flax/JAX community week: proposals, teams, digests."""

__version__ = "0.1.0"
