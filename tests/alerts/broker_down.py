"""Run by test_workers in a separate process whose REDIS_URL points at a port nothing listens on:
an officer saves a rating, then the deadline sweep runs. Both must succeed with the broker down.

    python -m tests.alerts.broker_down ACTION_ID USER_ID
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from actions.models import Action  # noqa: E402
from actions.services import record_rating_update  # noqa: E402
from send_tracker.accounts.models import User  # noqa: E402
from send_tracker.alerts.sweep import sweep  # noqa: E402


def main(action_id: int, user_id: int) -> None:
    action = Action.objects.get(pk=action_id)
    record_rating_update(
        action_id=action.pk,
        user=User.objects.get(pk=user_id),
        brag="red",
        commentary="Recruitment has slipped: two posts still vacant.",
        based_on_version=action.version,
    )
    print("rating saved", flush=True)
    result = sweep()
    print(f"alerts created: {result.created}", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
