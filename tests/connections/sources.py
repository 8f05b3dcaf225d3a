"""The fake sources the framework's tests run every connector against.

Each entry starts a seeded fake server (see tests/connectors/contract.py's FakeSource) and
stops it afterwards. A connector joins the framework tests (locking, kill -9, access lists,
webhooks) by adding its fake here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from tests.connectors.contract import FakeSource

FakeFactory = Callable[..., AbstractContextManager[FakeSource]]


@contextmanager
def _started(fake: Any) -> Iterator[FakeSource]:
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def _slack(**options: Any) -> AbstractContextManager[FakeSource]:
    from tests.fakes.slack.server import FakeSlack

    return _started(FakeSlack(**options))


def _github(**options: Any) -> AbstractContextManager[FakeSource]:
    from tests.fakes.github.server import FakeGitHub

    return _started(FakeGitHub(**options))


def _google_drive(**options: Any) -> AbstractContextManager[FakeSource]:
    from tests.fakes.google_drive.server import FakeGoogleDrive

    return _started(FakeGoogleDrive(**options))


def _notion(**options: Any) -> AbstractContextManager[FakeSource]:
    from tests.fakes.notion.server import FakeNotion

    return _started(FakeNotion(**options))


SOURCES: dict[str, FakeFactory] = {
    "notion": _notion,
    "slack": _slack,
    "github": _github,
    "google_drive": _google_drive,
}
