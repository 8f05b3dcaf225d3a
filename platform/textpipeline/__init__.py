"""The Django-free text pipeline: token-aware chunking and the embedders.

Plain Python (no Django, no models, no settings) so the same code chunks and embeds in the web
process, a worker, a benchmark or a test without a configured project; `knowledge` stores what
it produces. An import-linter contract (.importlinter) keeps Django out.
"""
