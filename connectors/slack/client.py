"""slack-sdk's WebClient under the outbound policy.

WebClient opens every request with `urllib.request.urlopen` (or an opener it builds for a
proxy) in `_perform_urllib_http_request_internal`, and offers no hook to hand it an opener.
This subclass overrides that one method: the request goes through the policy's opener
(the checked address, redirects checked again) and the body is read within the policy's
size and time limits. The rest (retries, the response parsing) stays slack-sdk's.
"""

from __future__ import annotations

from typing import Any
from urllib.request import Request

from slack_sdk import WebClient
from slack_sdk.errors import SlackRequestError

from common.outbound import OutboundPolicy, default_policy
from common.outbound_urllib import guarded_opener, read_bounded


class GuardedWebClient(WebClient):
    def __init__(self, *args: Any, policy: OutboundPolicy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy or default_policy()
        if self.timeout is None or self.timeout > self.policy.timeout_seconds:
            self.timeout = int(self.policy.timeout_seconds)
        self._opener = guarded_opener(self.policy, context=self.ssl)
        # Status and content type of the last response, for an error that names them.
        self.last_answer: tuple[int | None, str] = (None, "")

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if not url.lower().startswith(("http://", "https://")):
            raise SlackRequestError(f"Invalid URL detected: {url}")
        response = self._opener.open(req, timeout=self.timeout)
        with response:
            self.last_answer = (response.code, response.headers.get("content-type", ""))
            body = read_bounded(response, self.policy, url)
        if response.headers.get_content_type() == "application/gzip":
            return {"status": response.code, "headers": response.headers, "body": body}
        charset = response.headers.get_content_charset() or "utf-8"
        return {
            "status": response.code,
            "headers": response.headers,
            "body": body.decode(charset, errors="replace"),
        }
