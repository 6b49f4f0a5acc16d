"""Minimal Hugging Face Hub lookups (existence checks only)."""
import json
import os
import urllib.error
import urllib.request
from functools import lru_cache

API = "https://huggingface.co/api"


def _headers():
    h = {"User-Agent": "mclint/0.3"}
    # gated/private base models return 401 anonymously; reuse the user's hub login if present
    tok = os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")
    if tok:
        h["Authorization"] = f"Bearer {tok}"
    return h


@lru_cache(maxsize=256)
def exists(kind, repo_id):
    url = f"{API}/{kind}/{repo_id}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=_headers()), timeout=10) as r:
            json.load(r)
            return "ok"
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            return "gated"
        if e.code == 404:
            return "missing"
        return f"http {e.code}"
    except OSError:
        return "unreachable"
