"""Scoring the trained assistant: held-out questions, end to end."""
