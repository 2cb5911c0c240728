"""Adapters: a folder per port, a module per technology."""
