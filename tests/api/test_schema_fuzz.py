"""Schemathesis against the live schema: no 5xx, and every response matches the schema.

Every operation (each endpoint and method in the schema) is tested in each phase. The coverage
phase sends each operation the values at and past every limit its schema states, whatever the
number of examples, and takes about two thirds of the run; the fuzzing phase then sends each
operation that many drawn examples. Under CI, on every change, five each, derandomised (the same
each run); elsewhere fifteen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from send_tracker.api.keys import create_api_key
from tests.conftest import CI

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
# Drawn examples for each operation in the fuzzing phase, beside the coverage phase's.
EXAMPLES = 5 if CI else 15


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
            str(EXAMPLES),
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
