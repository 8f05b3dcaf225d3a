"""Connectors: one plain-Python package per source (no Django imports).

The framework that runs them (locking, checkpoints, retries, ingestion) lives in platform/.
"""
