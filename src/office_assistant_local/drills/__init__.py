"""Fault scenarios, the webhook bad-input corpus and its seeded generator."""
