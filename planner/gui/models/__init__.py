"""Thin Qt models over core values."""
