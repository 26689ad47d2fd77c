"""Faster equivalents of slow spots in Rasa 3.6, found by profiling (bench/profile_turn.py)."""
