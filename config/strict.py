"""What every model of config/ shares: it is frozen and refuses a key it does not know."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A model of a configuration file: frozen, and a key it does not declare is an error naming the key."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def as_tuple(value: object) -> object:
    """A text written where a list is expected, as a list of one (``stages = "primary"``); anything else unchanged."""
    return (value,) if isinstance(value, str) else value
