"""The ground floor: settings and the project root, the notice as data, request types.

Everything else in the project may import this package; it imports nothing of the
project (tests/test_layers.py).
"""
