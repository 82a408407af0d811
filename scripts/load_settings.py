"""Settings for the load benchmark (scripts/bench_load.py): the project's, with the URLconf below.

The benchmark compares the dashboard with a trivial view served through the same middleware. That
view is no part of the product, so it lives in the benchmark's own URLconf, never in
send_tracker/urls.py. The cache keys carry a prefix of the run's own, so that nothing cached by an
earlier run, or by a development server sharing the Redis database, is read, and the run's keys
can be deleted when it ends.
"""

import os

from send_tracker.settings import *  # noqa: F403
from send_tracker.settings import CACHES

ROOT_URLCONF = "scripts.load_urls"
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_LOAD_CACHE_PREFIX", "")
