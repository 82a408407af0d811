from __future__ import annotations

from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """When a background process last proved it was alive (the worker, beat, the deadline sweep).

    /healthz reads these, so an operator sees a stopped worker before officers miss an alert.
    """

    name = models.CharField(max_length=60, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_seen:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, name: str) -> None:
        cls.objects.update_or_create(name=name, defaults={"last_seen": timezone.now()})
