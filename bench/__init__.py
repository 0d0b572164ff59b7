"""Benchmarks: lookup speed, memory, start-up and accuracy, printed as a table and written as JSON."""
