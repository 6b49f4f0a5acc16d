"""Append each diff-coverage result to a small local run log, so the trend
across branches can be inspected later."""
import json
import os
import pathlib
import time

STATE = pathlib.Path(os.environ.get("XDG_STATE_HOME", pathlib.Path.home() / ".local" / "state")) / "covdiff"


def record(project, pct, covered, total):
    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / "runs.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"t": int(time.time()), "project": project, "pct": pct,
                            "covered": covered, "total": total}) + "\n")
