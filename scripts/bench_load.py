"""Benchmark: the production shape under load, at 150 partnerships.

Builds a scratch PostgreSQL database (`<name>_bench_load`, created from DATABASE_URL and dropped
here) with `make_scale_data(150)`, signs in a scrutiny councillor of one partnership (a session in
the database, as a browser would hold) and makes an API key for its council. Then it starts
gunicorn as production runs it (the sync worker, here 2 of them, DEBUG off, a throwaway
SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, the Redis cache, static files collected) on a free loopback
port, and drives it from separate processes: 16 clients, each sending one request after another
for 20 seconds, against each page in turn:

- `ping`: a trivial view in the benchmark's own URLconf (scripts/load_urls.py), through the same
  middleware, with the same session cookie: what every request costs before a view does any work;
- `dashboard`: `/`, signed in;
- `action`: one action's page, signed in;
- `api`: `/api/v1/actions/?page_size=100` with the API key.

Each request is a new connection (gunicorn's sync worker closes it after each answer, as it does in
production) and says it came through an HTTPS proxy, as production's requests do. The clients are
plain sockets in threads, two processes of eight, so that the load generator costs little beside
the server it measures. The API throttle is raised so that it counts but does not refuse.

Needs PostgreSQL and Redis: without DATABASE_URL=postgres://... and REDIS_URL it says so and exits 0.
BENCH_LOAD_SECONDS and BENCH_LOAD_CLIENTS change the 20 seconds and the 16 clients.

Closing lines: load_errors: N (answers that were not 2xx, and connection errors; aim 0),
load_dashboard_p95_ms: M, load_dashboard_ratio: R (the dashboard's requests a second over the
trivial view's; aim 0.15 or more), and the same for the action page and the API list.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "16"))
DRIVER_PROCESSES = 2
WARM_UP_SECONDS = 2.0
WORKERS = 2
PARTNERSHIPS = 150


# The load generator: run in its own processes as `bench_load.py --drive SPEC`. It needs nothing
# of Django's.


def drive(spec: dict[str, Any]) -> dict[str, Any]:
    """`clients` threads sending `request` one after another from `start` for `seconds`."""
    request = spec["request"].encode("latin-1")
    port, seconds, start = spec["port"], spec["seconds"], spec["start"]
    deadline = start + seconds
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors: list[str] = []
    last = [start]
    lock = threading.Lock()

    def one() -> tuple[int, float]:
        began = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(request)
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        elapsed = time.perf_counter() - began
        answer = b"".join(chunks)
        head, _, body = answer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and int(value) != len(body):
                raise OSError(f"answer cut short: {len(body)} of {int(value)} bytes")
        return status, elapsed

    def client() -> None:
        time.sleep(max(0.0, start - time.time()))
        while time.time() < deadline:
            try:
                status, elapsed = one()
            except (OSError, ValueError, IndexError) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if 200 <= status < 300:
                    latencies.append(elapsed * 1000)
                last[0] = max(last[0], time.time())

    threads = [threading.Thread(target=client) for _ in range(spec["clients"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "latencies_ms": latencies,
        "statuses": statuses,
        "errors": errors[:5],
        "error_count": len(errors),
        "last": last[0],
    }


if __name__ == "__main__" and sys.argv[1:2] == ["--drive"]:
    print(json.dumps(drive(json.loads(sys.argv[2]))))
    sys.exit(0)


ORIGINAL_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
if not ORIGINAL_URL.startswith(("postgres://", "postgresql://")) or not REDIS_URL:
    print(
        "# load benchmark skipped: it serves the production shape, which needs PostgreSQL and Redis "
        "(DATABASE_URL=postgres://..., REDIS_URL=redis://...)"
    )
    sys.exit(0)

from benchmarking import ScratchDatabase  # noqa: E402

SCRATCH = ScratchDatabase(ORIGINAL_URL, "bench_load", force=True)
WORK_DIR = Path(tempfile.mkdtemp(prefix="send-tracker-bench-load-"))
CACHE_PREFIX = f"bench-load-{secrets.token_hex(4)}"
SERVER: list[subprocess.Popen[bytes] | None] = [None]

# What gunicorn runs with, and (bar Redis) what this process builds the data with: the session's
# signature is made with the same SECRET_KEY that checks it.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "scripts.load_settings",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": SCRATCH.url,
    "REDIS_URL": REDIS_URL,
    "BENCH_LOAD_CACHE_PREFIX": CACHE_PREFIX,
    "API_THROTTLE_RATE": "1000000/minute",
    "VAR_DIR": str(WORK_DIR / "var"),
    "STATIC_ROOT": str(WORK_DIR / "static"),
    "LOG_LEVEL": "WARNING",
}


def build() -> dict[str, str]:
    """The scratch database with 150 partnerships; returns the cookie, the key and the action's URL."""
    os.environ.update(SERVER_ENV)
    # This process queues nothing and reads nothing from the cache; without Redis, nothing it does
    # can reach a worker that shares the broker.
    os.environ.pop("REDIS_URL")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from actions.models import Action
    from send_tracker.accounts.models import Organisation, User
    from send_tracker.api.keys import create_api_key
    from send_tracker.sample_data.scale import make_scale_data

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"collected static files in {time.perf_counter() - started:.1f}s", flush=True)
    started = time.perf_counter()
    make_scale_data(PARTNERSHIPS)
    print(f"built {PARTNERSHIPS} partnerships in {time.perf_counter() - started:.1f}s", flush=True)
    browser = Client()
    browser.force_login(User.objects.get(username="scale-001-councillor"))
    council = Organisation.objects.get(partnership__slug="scale-001", short_name="Council")
    _, key = create_api_key(organisation=council, name="load benchmark")
    action = Action.objects.filter(plan__partnership__slug="scale-001").order_by("pk").first()
    if action is None:
        raise SystemExit("the scale data made no actions")
    from django.db import connections

    connections.close_all()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}",
        "key": key,
        "action": f"/plan/actions/{action.pk}/",
    }


def request_text(path: str, headers: dict[str, str]) -> str:
    lines = [
        f"GET {path} HTTP/1.1",
        "Host: 127.0.0.1",
        # Production sits behind an HTTPS proxy (SECURE_PROXY_SSL_HEADER); without this header
        # every request would be redirected to https://.
        "X-Forwarded-Proto: https",
        "Connection: close",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return "\r\n".join(lines) + "\r\n\r\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "send_tracker.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
        "--access-logfile", "-", "--error-logfile", "-",
    ]  # fmt: skip
    env = {**os.environ, **SERVER_ENV}
    with log.open("wb") as out:
        # Its own session: Ctrl-C reaches this process, which then stops gunicorn in order.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def fetch(port: int, request: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request.encode("latin-1"))
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b"\r\n")[0].split()[1]), body


def wait_until_serving(port: int, server: subprocess.Popen[bytes], request: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it served")
        try:
            if fetch(port, request)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within a minute")


def load(port: int, request: str, seconds: float) -> dict[str, Any]:
    """CLIENTS clients for `seconds`, split over DRIVER_PROCESSES processes that start together."""
    start = time.time() + 1.0
    share = [CLIENTS // DRIVER_PROCESSES + (n < CLIENTS % DRIVER_PROCESSES) for n in range(DRIVER_PROCESSES)]
    drivers = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--drive",
                json.dumps({"port": port, "request": request, "seconds": seconds, "start": start, "clients": clients}),
            ],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        for clients in share
        if clients
    ]
    results = []
    try:
        for driver in drivers:
            out, _ = driver.communicate(timeout=seconds + 90)
            if driver.returncode != 0:
                raise SystemExit("a load driver failed")
            results.append(json.loads(out))
    finally:
        for driver in drivers:
            if driver.poll() is None:
                driver.kill()
                driver.wait()
    latencies = sorted(value for result in results for value in result["latencies_ms"])
    statuses: dict[str, int] = {}
    for result in results:
        for status, count in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    connection_errors = sum(result["error_count"] for result in results)
    bad = sum(count for status, count in statuses.items() if not status.startswith("2"))
    elapsed = max(result["last"] for result in results) - start
    return {
        "rps": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p95_ms": statistics.quantiles(latencies, n=100)[94] if len(latencies) > 1 else float("nan"),
        "errors": bad + connection_errors,
        "statuses": statuses,
        "error_samples": [sample for result in results for sample in result["errors"]][:3],
    }


def stop(server: subprocess.Popen[bytes] | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()  # gunicorn's graceful stop: the master stops its workers
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def clean_up(server: subprocess.Popen[bytes] | None) -> None:
    stop(server)
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: S110 - Django may not have been set up yet
        pass
    SCRATCH.drop()
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{CACHE_PREFIX}:*", count=1000))
        if keys:
            client.delete(*keys)
    except Exception as exc:  # noqa: BLE001 - cleaning up: say so and go on
        print(f"# could not delete the run's cache keys ({CACHE_PREFIX}:*): {exc}")
    shutil.rmtree(WORK_DIR, ignore_errors=True)


def main() -> int:
    print(
        f"# load benchmark: gunicorn, {WORKERS} sync workers, PostgreSQL and Redis; {PARTNERSHIPS} partnerships; "
        f"{CLIENTS} clients for {SECONDS:g} s a page; load average before: {' '.join(f'{n:.2f}' for n in os.getloadavg())}",
        flush=True,
    )
    SCRATCH.create()
    made = build()
    signed_in = {"Cookie": made["cookie"], "Accept": "text/html"}
    pages = {
        "ping": request_text("/bench/ping", signed_in),
        "dashboard": request_text("/", signed_in),
        "action": request_text(made["action"], signed_in),
        "api": request_text(
            "/api/v1/actions/?page_size=100", {"Authorization": f"Bearer {made['key']}", "Accept": "application/json"}
        ),
    }
    port = free_port()
    log = WORK_DIR / "gunicorn.log"
    server = SERVER[0] = start_gunicorn(port, log)
    try:
        wait_until_serving(port, server, pages["ping"])
        # Each page answers as it should before it is measured: a redirect to the sign-in page or a
        # 404 would be cheap and flatter the figures.
        checks = {
            "dashboard": b"Sign out",
            "action": b"Sign out",
            "api": b'"results"',
        }
        for name, marker in checks.items():
            status, body = fetch(port, pages[name])
            if status != 200 or marker not in body:
                raise SystemExit(f"{name} answered {status} without {marker!r}")
        figures = {}
        errors = 0
        for name, request in pages.items():
            errors += load(port, request, WARM_UP_SECONDS)["errors"]
            figures[name] = result = load(port, request, SECONDS)
            errors += result["errors"]
            print(
                f"{name}: {result['rps']:.0f} requests a second, median {result['p50_ms']:.1f} ms, "
                f"95th percentile {result['p95_ms']:.1f} ms, answers {result['statuses']}"
                + (f", connection errors e.g. {result['error_samples']}" if result["error_samples"] else ""),
                flush=True,
            )
    except BaseException:
        if log.exists():
            print("# the end of gunicorn's log:\n" + "".join(log.read_text(errors="replace").splitlines(True)[-20:]))
        raise
    finally:
        stop(server)
    ping = figures["ping"]["rps"]
    print(f"load average after: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(f"load_ping_rps: {ping:.0f}")
    for name in ("dashboard", "action", "api"):
        print(f"load_{name}_rps: {figures[name]['rps']:.0f}")
        print(f"load_{name}_p95_ms: {figures[name]['p95_ms']:.0f}")
        print(f"load_{name}_ratio: {figures[name]['rps'] / ping:.3f}")
    print(f"load_errors: {errors}")
    return 0


def _stop_on_term(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so that the finally blocks stop gunicorn and drop the database


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop_on_term)
    try:
        code = main()
    finally:
        # Whatever happened (an error, Ctrl-C): gunicorn stops, the database and the folder go.
        clean_up(SERVER[0])
    sys.exit(code)
