"""`make run`: the web server, the Celery worker and Celery beat, together, until Ctrl-C.

Standard library only. Each child runs in its own process group (so a Ctrl-C in the terminal
reaches this supervisor alone, and it decides how the children stop), with its output prefixed
[web], [worker] or [beat]. Ctrl-C or SIGTERM stops all three: SIGTERM to each group, up to 10
seconds' grace, then SIGKILL. If one child exits on its own, the others are stopped and this
script exits non-zero.

PORT (default 8000) is the web server's port; VAR_DIR (default var/ in the repository) holds the
SQLite database and Celery's filesystem broker when REDIS_URL is unset.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GRACE_SECONDS = 10.0

_print_lock = threading.Lock()


def say(line: str) -> None:
    with _print_lock:
        sys.stdout.write(line if line.endswith("\n") else line + "\n")
        sys.stdout.flush()


def pump(name: str, stream: IO[bytes]) -> None:
    """Copy a child's output to ours, one prefixed line at a time."""
    for raw in iter(stream.readline, b""):
        say(f"[{name}] {raw.decode(errors='replace').rstrip()}")
    stream.close()


def demo_logins(env: dict[str, str]) -> list[str]:
    """The demo accounts' `username / password - role, organisation` lines, or none."""
    try:
        result = subprocess.run(
            [PYTHON, "manage.py", "demo_accounts", "--print"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    if result.returncode != 0:
        return []
    return [line.rstrip() for line in result.stdout.splitlines() if line.strip()]


def signal_group(child: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(child.pid, sig)
    except ProcessLookupError:
        pass


def stop_all(children: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGTERM to each child, up to GRACE_SECONDS in all, then SIGKILL to what is left of its group.

    The signal goes to the child itself, not its group: the Celery worker stops its own pool
    processes (a warm shutdown) and would log an error if they were signalled behind its back.
    """
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"[{name}] did not stop within {GRACE_SECONDS:.0f} s; killing it.")
        # Anything still running in the child's process group (the child itself after a timeout,
        # or a process it left behind) is killed.
        signal_group(child, signal.SIGKILL)
        child.wait()


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DEBUG", "true")
    env["PYTHONUNBUFFERED"] = "1"
    port = env.get("PORT", "8000")
    if not port.isdigit():
        say(f"PORT must be a number, not {port!r}")
        return 2
    var_dir = Path(env.get("VAR_DIR") or ROOT / "var")
    for folder in ("queue", "control", "processed"):
        (var_dir / "celery" / folder).mkdir(parents=True, exist_ok=True)

    stopping = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stopping.set()

    # Installed before any child starts, so an early Ctrl-C cannot leave orphans behind.
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    commands = {
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": [PYTHON, "-m", "celery", "-A", "send_tracker", "worker", "--loglevel=INFO", "--concurrency=1"],
        # The pid file lives in VAR_DIR rather than the repository's root.
        "beat": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "send_tracker",
            "beat",
            "--loglevel=INFO",
            f"--pidfile={var_dir / 'celerybeat.pid'}",
        ],
    }
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, command in commands.items():
            child = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            children[name] = child
            assert child.stdout is not None  # noqa: S101 - stdout=PIPE above
            threading.Thread(target=pump, args=(name, child.stdout), daemon=True).start()
    except OSError as exc:
        say(f"could not start {name}: {exc}")
        stop_all(children)
        return 1

    database = "PostgreSQL (DATABASE_URL)" if env.get("DATABASE_URL") else f"SQLite in {var_dir}"
    broker = "Redis (REDIS_URL)" if env.get("REDIS_URL") else f"the filesystem, {var_dir / 'celery'}"
    lines = [
        "",
        f"  send-tracker is running at http://127.0.0.1:{port}/",
        f"  Database: {database}. Celery broker: {broker}.",
    ]
    logins = [] if stopping.is_set() else demo_logins(env)
    if logins:
        lines.append("  Demo logins (username / password):")
        lines.extend(f"    {login}" for login in logins)
    lines += ["  Ctrl-C stops the web server, the worker and beat.", ""]
    say("\n".join(lines))

    exit_code = 0
    while not stopping.is_set():
        for name, child in children.items():
            code = child.poll()
            if code is not None:
                say(f"[{name}] exited unexpectedly (code {code}); stopping the others.")
                exit_code = code if code > 0 else 1
                stopping.set()
                break
        else:
            stopping.wait(0.5)

    say("Stopping the web server, the worker and beat...")
    stop_all(children)
    say("Stopped.")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
