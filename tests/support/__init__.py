"""Shared builders, assertions and HTML form reading for the tests."""
