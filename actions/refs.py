"""An action's reference as the plan publishes it (`2B:1`) and as the tracker stores it (`2B1`)."""

from __future__ import annotations

import re

ACTION_REF = re.compile(r"(?P<area>\d+)(?:(?P<letter>[A-Z])[:.]?|[:.])(?P<number>\d+)")


def canonical_ref(published: str) -> str:
    """The stored form of a published action ref: `2B:1` is `2B1`; `1.1` keeps its dot, which is
    all that separates the area from the number when there is no letter. Raises ValueError for
    text that is not an action ref."""
    match = ACTION_REF.fullmatch(re.sub(r"\s+", "", published).upper())
    if match is None:
        raise ValueError(f"{published!r} is not an action ref like 2A1, 2B:1 or 1.1")
    if match["letter"]:
        return f"{match['area']}{match['letter']}{match['number']}"
    return f"{match['area']}.{match['number']}"
