"""The web app's API types (frontend/src/api/schema.d.ts) are generated from the live
router's OpenAPI document; this fails when the committed file is not what `npm run gen:api`
writes now. It runs in the suite with the test command's Node, never skipped."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from ninja.responses import NinjaJSONEncoder

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
COMMITTED = FRONTEND / "src" / "api" / "schema.d.ts"


def test_the_committed_api_types_match_the_openapi_document(tmp_path: Path) -> None:
    from config.router import api

    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    generated = tmp_path / "schema.d.ts"
    node = shutil.which("node")
    assert node, "Node is part of the test command: install Node 20 (README, Quick start)"
    assert (FRONTEND / "node_modules" / ".bin" / "openapi-typescript").exists(), (
        "the web app's packages are missing: run scripts/setup (or npm ci in frontend)"
    )
    result = subprocess.run(
        [node, "scripts/gen-api.mjs", str(document), "--output", str(generated)],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert generated.read_text() == COMMITTED.read_text(), (
        "frontend/src/api/schema.d.ts is not what the API's OpenAPI document generates: "
        "run npm run gen:api (in frontend/) and commit the result"
    )


def test_the_answer_stream_events_are_in_the_document() -> None:
    from agents.api import ANSWER_STREAM_EVENTS
    from config.router import api

    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    stream = document["paths"][
        "/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}/messages/stream"
    ]["post"]["responses"][200]["content"]["text/event-stream"]["schema"]
    referenced = {ref["$ref"].rsplit("/", 1)[-1] for ref in stream["oneOf"]}
    assert referenced == {model.__name__ for model in ANSWER_STREAM_EVENTS.values()}
    assert referenced <= set(components)
    assert set(components["AnswerStartedEvent"]["required"]) == {
        "conversation_id",
        "question_id",
        "answer_id",
    }
