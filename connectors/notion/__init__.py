"""Notion: pages, database rows and data sources shared with an internal integration."""
