"""Connector classes by kind, imported only when used (each pulls in its own SDK)."""

from __future__ import annotations

from importlib import import_module

from connectors.base import Connector

CONNECTOR_CLASSES = {
    "slack": "connectors.slack.connector:SlackConnector",
    "notion": "connectors.notion.connector:NotionConnector",
    "google_drive": "connectors.google_drive.connector:GoogleDriveConnector",
    "github": "connectors.github.connector:GitHubConnector",
}


def connector_class(kind: str) -> type[Connector]:
    try:
        path = CONNECTOR_CLASSES[kind]
    except KeyError:
        raise ValueError(f"Unknown connector kind {kind!r}") from None
    module_name, class_name = path.split(":")
    connector: type[Connector] = getattr(import_module(module_name), class_name)
    return connector
