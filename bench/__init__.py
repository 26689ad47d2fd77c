"""Benchmarks: the project against stock Rasa and a bare Sanic floor (make bench)."""
