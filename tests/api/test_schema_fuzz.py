"""Schemathesis against the live schema: no 5xx, and every response matches the schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from send_tracker.api.keys import create_api_key

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_schemathesis_finds_no_server_error_and_no_response_that_breaks_the_schema(
    live_server, action, council, tmp_path
):
    _, key = create_api_key(organisation=council, name="fuzz", can_write=True)
    report = tmp_path / "schemathesis.txt"

    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Bearer {key}",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--max-examples",
            "15",
            "--seed",
            "20261122",
            "--generation-deterministic",
            "--report-dir",
            str(tmp_path / "report"),
            "--request-timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # schemathesis keeps its state in the working directory
    )
    report.write_text(result.stdout + result.stderr)

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
