"""The fakes the browser flows run against, one context manager each. Each starts its fake on
127.0.0.1, yields the environment variables the flow in frontend/e2e/flows/ reads (the platform
gets them too, so a fake can also carry the operator settings that point at it), and stops it.
A new flow that needs a fake adds a function here and lists it in `FAKE_ENVIRONMENTS`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from tests.fakes.oidc.server import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider
from tests.fakes.openai.server import FakeOpenAI
from tests.fakes.slack.seed import generate_workspace
from tests.fakes.slack.server import FakeSlack

# The platform paces its Slack requests (50 a minute, as Slack allows), so the fake serves a
# small workspace: the first sync and the one after picking channels take seconds, not minutes.
SLACK_MESSAGES = 8
SLACK_PEOPLE = 8


@contextmanager
def slack_environment() -> Iterator[dict[str, str]]:
    """The connections flow: a Slack workspace to connect and sync."""
    slack = FakeSlack(generate_workspace(message_count=SLACK_MESSAGES, user_count=SLACK_PEOPLE))
    slack.start()
    try:
        credentials = slack.credentials()
        yield {
            "E2E_SLACK_URL": slack.url,
            "E2E_SLACK_BOT_TOKEN": credentials["bot_token"],
            "E2E_SLACK_SIGNING_SECRET": credentials["signing_secret"],
        }
    finally:
        slack.stop()


@contextmanager
def openai_environment() -> Iterator[dict[str, str]]:
    """The models flow: an OpenAI-compatible server (the fake's GET /v1/models, and OpenAI's
    401 for any other key). It listens on 127.0.0.1 over http, which the outbound policy
    refuses unless the operator allow-lists it, as an operator does for a local model server."""
    with FakeOpenAI(api_key="sk-e2e-local-model-server-4242") as server:
        yield {
            "E2E_OPENAI_URL": server.base_url,
            "E2E_OPENAI_KEY": server.api_key,
            "OUTBOUND_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }


@contextmanager
def oidc_environment() -> Iterator[dict[str, str]]:
    """The sso flow: an OpenID Connect provider with a sign-in form (the person types their
    email there). The platform must reach it on 127.0.0.1: the outbound allow-list says so."""
    provider = FakeOidcProvider(
        auto_approve=False,
        user={
            "sub": "e2e-person",
            "email": "new.person@sso-e2e.test",
            "email_verified": True,
            "name": "New Person",
            "groups": ["engineering"],
        },
    )
    provider.start()
    try:
        yield {
            "E2E_OIDC_ISSUER": provider.issuer,
            "E2E_OIDC_CLIENT_ID": CLIENT_ID,
            "E2E_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OUTBOUND_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    finally:
        provider.stop()


FAKE_ENVIRONMENTS: list[Callable[[], AbstractContextManager[dict[str, str]]]] = [
    slack_environment,
    openai_environment,
    oidc_environment,
]
