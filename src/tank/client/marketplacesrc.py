"""Claude Code plugin marketplaces as a source: ``tank install marketplace:URL[#plugin]``.

The marketplace file (``.claude-plugin/marketplace.json``: a URL, a local file, or a folder
holding one) is fetched with a size cap and read by the strict parser
(:func:`tank.core.marketplace.parse_marketplace`). Each chosen plugin's source becomes a
source Tank already installs under its lock and checks: a git source (``url``, ``github``,
``git-subdir``), pinned to a commit in skills.lock, or, for a marketplace on disk, the
plugin's folder (``path`` sources), read as an Agent Plugins layout. ``npm`` sources are
refused (Tank installs skills, not npm packages). What the marketplace says about a plugin
(its version, its description) is not trusted: the skills are read, scanned and budgeted
from what the source holds.
"""

from __future__ import annotations

from pathlib import Path

from tank.core.errors import UsageError
from tank.core.gitsource import LOOPBACK_HOSTS
from tank.core.marketplace import Marketplace, PluginSource, parse_marketplace, skill_sources

__all__ = ["PREFIX", "is_marketplace_spec", "plugin_specs"]

PREFIX = "marketplace:"
MAX_BYTES = 4 * 1024 * 1024
TIMEOUT_S = 30.0
_FILE = ".claude-plugin/marketplace.json"


def is_marketplace_spec(text: str) -> bool:
    """True for ``marketplace:…`` on the command line."""
    return text.startswith(PREFIX)


def plugin_specs(text: str, *, every: bool) -> list[str]:
    """The install specs (git sources or plugin folders) of the plugins ``text`` names:
    ``marketplace:WHERE#plugin`` one plugin, ``marketplace:WHERE`` with ``every`` all of
    them; without either, a marketplace holding several is a clear error listing them."""
    where, _, chosen = text[len(PREFIX) :].partition("#")
    data, root = _read(where)
    market = parse_marketplace(data, file=where)
    plugins = dict(skill_sources(market))
    if chosen:
        if chosen not in plugins:
            raise UsageError(
                f"the marketplace {market.name} has no plugin {chosen!r}",
                code="marketplace_no_plugin",
                hint=f"its plugins: {', '.join(sorted(plugins)) or 'none'}",
            )
        names = [chosen]
    elif every or len(plugins) == 1:
        names = list(plugins)
    else:
        raise UsageError(
            f"the marketplace {market.name} holds {len(plugins)} plugins; name one or use --all",
            code="marketplace_ambiguous",
            hint=f"tank install '{PREFIX}{where}#{next(iter(sorted(plugins)), 'NAME')}'; its "
            f"plugins: {', '.join(sorted(plugins))}",
        )
    return [_spec(market, name, plugins[name], root) for name in names]


def _read(where: str) -> tuple[bytes, Path | None]:
    """The marketplace file's bytes, and the folder its ``path`` sources are relative to
    (None for one fetched over the network)."""
    if where.startswith(("https://", "http://")):
        return _fetch(where), None
    path = Path(where).expanduser()
    if path.is_dir():
        path = path / _FILE
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(
            f"cannot read the marketplace {where}: {error.strerror}",
            code="marketplace_unreadable",
            hint=f"name a marketplace.json, a folder holding {_FILE}, or an https:// URL",
        ) from None
    _cap(data, where)
    root = path.parent.parent if path.parent.name == ".claude-plugin" else path.parent
    return data, root


def _fetch(url: str) -> bytes:
    import httpx

    host = httpx.URL(url).host
    if url.startswith("http://") and host not in {h.strip("[]") for h in LOOPBACK_HOSTS}:
        raise UsageError(
            f"the marketplace {url} is plain http",
            code="marketplace_insecure",
            hint="use its https:// address (plain http only from this machine)",
        )
    try:
        with httpx.stream("GET", url, timeout=TIMEOUT_S, follow_redirects=False) as answer:
            if answer.status_code != 200:
                raise UsageError(
                    f"the marketplace {url} answered {answer.status_code}",
                    code="marketplace_unreadable",
                    hint="check the address (a marketplace.json URL)",
                )
            data = b""
            for chunk in answer.iter_bytes():
                data += chunk
                _cap(data, url)
    except httpx.HTTPError as error:
        raise UsageError(
            f"cannot fetch the marketplace {url}: {error}",
            code="marketplace_unreadable",
            hint="check the address and your connection",
        ) from None
    return data


def _cap(data: bytes, where: str) -> None:
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"the marketplace {where} is over {MAX_BYTES // (1024 * 1024)} MiB",
            code="marketplace_too_large",
            hint="a marketplace.json lists plugins; it is never this large",
        )


def _spec(market: Marketplace, name: str, source: PluginSource, root: Path | None) -> str:
    """One plugin's source as a spec ``tank install`` reads."""
    pin = source.sha or source.ref
    fragment = f"#{pin}" if pin else ""
    if source.kind == "url":
        return f"git+{source.location}{fragment}"
    if source.kind == "github":
        path = f"/{source.path.strip('/')}" if source.path else ""
        return f"github:{source.location}{path}{fragment}"
    if source.kind == "git-subdir":
        return f"git+{source.location}#{pin or ''}:{(source.path or '').strip('/')}"
    if source.kind == "path" and root is not None:
        base = root / (market.plugin_root or ".")
        return str((base / source.location).resolve())
    raise UsageError(
        f"the plugin {name} of {market.name} comes from {source.kind} ({source.location}), "
        "which Tank does not install from here",
        code="marketplace_source",
        hint="npm packages are not skills; a relative path needs the marketplace on disk "
        "(clone its repository and name the folder)",
    )
