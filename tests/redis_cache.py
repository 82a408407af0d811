"""The tests' Redis cache: clearing it deletes its own keys, under its KEY_PREFIX, and nothing else."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache


class OwnKeysRedisCache(RedisCache):
    def clear(self) -> None:
        redis_cache: Any = self._cache  # type: ignore[attr-defined]  # django-stubs leaves it out
        client = redis_cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
