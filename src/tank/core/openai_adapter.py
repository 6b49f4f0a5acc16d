"""The ``.skill/openai.json`` adapter: a skill described as an OpenAI function tool.

The phase-1 plan names ``.skill/openai.json`` as a framework adapter without fixing its shape,
so Tank defines it (``schema`` says which version of this shape a file follows)::

    {
      "schema": "tank.openai-adapter/1",
      "package": {"name": "@acme/pdf", "version": "1.4.0"},
      "instructions": "SKILL.md",
      "tool": {"type": "function", "name": "pdf", "description": "...",
               "parameters": {...JSON Schema...}, "strict": false},
      "outputs": {...JSON Schema...} | null
    }

``tool`` is exactly what OpenAI's Responses and Chat Completions APIs accept as a function
tool: ``parameters`` is the skill's ``interface.inputs`` (an empty object schema when the skill
declares none) and ``name`` is the SKILL.md name (already within OpenAI's
``^[a-zA-Z0-9_-]{1,64}$``). ``instructions`` is the file an agent loads when the tool is
chosen; ``outputs`` is ``interface.outputs``, for the caller to validate the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCHEMA = "tank.openai-adapter/1"
#: Where the adapter sits in a skill folder.
PATH = ".skill/openai.json"
_EMPTY_INPUTS = {"type": "object", "properties": {}, "additionalProperties": False}


def openai_adapter(
    name: str, version: str, description: str, manifest: Mapping[str, Any]
) -> dict[str, Any]:
    """The adapter of ``name@version`` (``@scope/skill``) from its skills.json object."""
    interface = manifest.get("interface")
    interface = interface if isinstance(interface, Mapping) else {}
    inputs = interface.get("inputs")
    outputs = interface.get("outputs")
    return {
        "schema": SCHEMA,
        "package": {"name": name, "version": version},
        "instructions": "SKILL.md",
        "tool": {
            "type": "function",
            "name": name.rsplit("/", 1)[-1],
            "description": description,
            "parameters": dict(inputs) if isinstance(inputs, Mapping) else dict(_EMPTY_INPUTS),
            "strict": False,
        },
        "outputs": dict(outputs) if isinstance(outputs, Mapping) else None,
    }
