"""Benchmarks: figures beside a baseline measured in the same run (`python -m benchmarks`).

Outside the product: nothing under platform/, connectors/ or agents/ imports this package
(an import-linter contract says so), and the image leaves it out. It may import the shared
testing package (tests.fakes, tests.processes, tests.hostile_files).
"""
