"""The SPA's generated API types match what the services' OpenAPI says today."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = ROOT / "frontend" / "src" / "api" / "schema.d.ts"
GENERATOR = ROOT / "frontend" / "node_modules" / ".bin" / "openapi-typescript"


def test_committed_api_types_match_the_services(tmp_path: Path) -> None:
    # The same two steps as `make api-types`, into a temporary file.
    assert GENERATOR.is_file(), "openapi-typescript is missing: run `npm --prefix frontend ci`"
    document = tmp_path / "openapi.json"
    generated = tmp_path / "schema.d.ts"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "openapi_document.py"), "-o", str(document)],
        check=True,
        cwd=ROOT,
    )
    subprocess.run(
        [str(GENERATOR), str(document), "-o", str(generated)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    fresh = generated.read_text(encoding="utf-8")
    committed = SCHEMA.read_text(encoding="utf-8")
    if fresh != committed:
        diff = difflib.unified_diff(
            committed.splitlines(keepends=True),
            fresh.splitlines(keepends=True),
            "committed schema.d.ts",
            "generated now",
        )
        pytest.fail(
            "frontend/src/api/schema.d.ts differs from the services' OpenAPI: run `make api-types`"
            " (then fix the SPA where its types changed)\n" + "".join(list(diff)[:80])
        )
