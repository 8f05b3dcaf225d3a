"""Queue a task by name once the current transaction commits.

A lower layer tells a higher one that something changed (a document's access list was
tightened, a grant revoked) without importing it: the task is sent by its name, and the
worker that owns the name does the work. Sent after commit, so the worker sees the change;
a broker that is down loses nothing the readers rely on (reads re-check access anyway).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# Tightening access (an access list, a view, a grant, a group) reaches old answers: agents, a
# layer above every sender, re-checks stored citations and purges what their readers lost.
PURGE_REVOKED_CITATIONS_TASK = "agents.purge_revoked_citations"


def send_task_now(name: str, *, kwargs: dict[str, Any]) -> None:
    """Send task `name` now; a broker that is down is logged, not raised."""
    try:
        current_app.send_task(name, kwargs=kwargs)
    except OperationalError:
        logger.warning("broker unreachable; %s not queued (%s)", name, kwargs)


def send_task_on_commit(name: str, **kwargs: Any) -> None:
    """Send task `name` with JSON `kwargs` after the surrounding transaction commits."""
    transaction.on_commit(functools.partial(send_task_now, name, kwargs=kwargs))
