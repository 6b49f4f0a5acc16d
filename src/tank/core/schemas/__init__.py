"""The JSON Schemas of Tank's formats, shipped inside the package.

The files are the published contract (the repository's ``schemas/`` folder links here so
editors can use them); this module only reads them. Loading is lazy and cached: nothing is read
at import time.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema costs ~90 ms to import: only load it when validating
    from jsonschema import Draft202012Validator

SKILLS_SCHEMA = "skills.schema.json"
LOCK_SCHEMA = "skills-lock.schema.json"
OPENAI_ADAPTER_SCHEMA = "openai-adapter.schema.json"


@cache
def _text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def load_schema(name: str) -> dict[str, Any]:
    """A fresh copy of the schema ``name`` (e.g. :data:`SKILLS_SCHEMA`) as a JSON object."""
    if name not in (SKILLS_SCHEMA, LOCK_SCHEMA, OPENAI_ADAPTER_SCHEMA):
        raise ValueError(f"unknown schema {name!r}")
    data: dict[str, Any] = json.loads(_text(name))
    return data


@cache
def skills_validator() -> Draft202012Validator:
    """The compiled validator of skills.json (built on first use, then shared)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(SKILLS_SCHEMA))


@cache
def lock_validator() -> Draft202012Validator:
    """The compiled validator of skills.lock (built on first use, then shared)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(LOCK_SCHEMA))
