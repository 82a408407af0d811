from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from send_tracker.accounts.models import Organisation
from send_tracker.api.keys import create_api_key


@pytest.fixture
def key_client() -> Callable[..., APIClient]:
    """An API client holding a fresh key for an organisation."""

    def build(organisation: Organisation, *, write: bool = False) -> APIClient:
        _, key = create_api_key(organisation=organisation, name="test key", can_write=write)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        client.key = key  # type: ignore[attr-defined]
        return client

    return build
