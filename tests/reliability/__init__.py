"""Reliability tests: differential testing of the backends, bad input, error reporting, load."""
