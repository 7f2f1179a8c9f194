"""Test helpers: local servers and their pytest fixtures."""
