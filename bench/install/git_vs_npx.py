"""Tank's git installs beside ``npx skills add`` (skills 1.3.9), from one local repository.

    .venv/bin/python bench/install/git_vs_npx.py [--runs 5] [--npx-download] [--readme]

The repository (``skillrepo.py``, seeded): 20 skills under ``skills/<name>/``, one commit on
``main``, made in a temporary folder. ``skills@1.3.9`` (the last ``skills`` that runs on
Node 20 and installs from a local repository) is installed once into a temporary npm prefix
with ``npm install --prefix DIR skills@1.3.9`` (from the npm registry, a private npm cache).

Rows, each an install of all 20 skills into a fresh, empty project folder, for Claude Code
(``.agents/skills/<name>`` plus a ``.claude/skills/<name>`` link), timed from process start to
exit (wall clock, and the CPU time of the process and its children):

* ``tank``: ``tank install --all --agent claude-code git+file://REPO``;
* ``skills (path)``: ``npx --prefix DIR --no-install skills add REPO -y -a claude-code``
  (skills reads the working tree of a local path: no git);
* ``skills (git)``: the same with ``file://REPO``: skills runs ``git clone --depth 1`` into a
  temporary folder, as for any git URL;
* ``skills (npx download)`` with ``--npx-download``: ``npx --yes skills@1.3.9 add REPO ...``,
  npx fetching the package from the npm registry into its cache (not loopback).

Every install has its own ``HOME`` (and ``XDG_*``, ``TMPDIR``) and cache inside one
temporary folder; nothing is written to the real ``HOME``. *Cold*: a fresh empty cache
(``TANK_CACHE_DIR``; ``npm_config_cache`` for npx) and a fresh ``HOME``. *Warm*: the cache and
``HOME`` the cold install of the same round left, a new project. Tank also has *warm, lock*:
a new project holding the skills.json and skills.lock the cold install wrote (skills 1.3.9
keeps no lockfile for project installs). Each round runs every row in turn (the order
alternates round to round, so load drifts hit all alike), after one untimed warm-up of each.

After each install the harness checks the project: 20 folders under ``.agents/skills`` holding
every file of the repository's skill with the same bytes, and 20 ``.claude/skills`` entries
reaching a SKILL.md; anything less fails the sample, so a broken install cannot look fast.
Prints ``uptime`` before and after and a markdown table (median and min of the rounds, and
the median CPU time, which moves less with the machine's load than wall time does);
``--readme`` writes it between the git-vs-npx markers of bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # bench/common.py

from common import tail  # noqa: E402
from skillrepo import make_repo, skills  # noqa: E402

README = HERE.parent / "README.md"
BEGIN, END = "<!-- git-vs-npx-results:begin -->", "<!-- git-vs-npx-results:end -->"
SKILLS_SPEC = "skills@1.3.9"
TIMEOUT = 600
#: State -> column title; a row measures the states it lists.
TITLES = {"cold": "cold", "warm": "warm", "lock": "warm, lock"}


@dataclass
class Row:
    """One way of installing the repository's 20 skills."""

    key: str
    label: str
    commands: dict[str, list[str]]  # state -> command; the states this row measures
    kind: str  # "tank" or "npx": which variables point at the private cache
    wall: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def env_for(kind: str, home: Path, cache: Path) -> dict[str, str]:
    """The environment of one install: private HOME, XDG folders, TMPDIR and cache."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("npm_", "NPM_", "TANK_", "XDG_", "GIT_"))
        and k not in {"CI", "NODE_OPTIONS", "PYTHONDONTWRITEBYTECODE", "TMPDIR"}
    }
    tmp = home / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        TMPDIR=str(tmp),
        NO_COLOR="1",
    )
    if kind == "tank":
        env.update(
            TANK_HOME=str(home),
            TANK_CACHE_DIR=str(cache),
            TANK_CONFIG_DIR=str(home / ".config" / "tank"),
            TANK_NO_KEYRING="1",
        )
    else:
        env.update(
            npm_config_cache=str(cache),
            npm_config_update_notifier="false",  # no registry request of npm's own
            npm_config_fund="false",
            DISABLE_TELEMETRY="1",  # skills' install telemetry (skipped for local sources too)
            DO_NOT_TRACK="1",
        )
    return env


def run_timed(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one process (children included); raises on a failure."""
    os.sync()  # the previous install's writeback must not land in this one's time
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("wb") as out:
        # Popen + a blocking wait(): subprocess.run(timeout=...) polls with growing sleeps
        # and rounds short runs up (see run.py); the timeout is a timer thread instead.
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timer = threading.Timer(TIMEOUT, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        rc = proc.wait()
        timer.cancel()
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if rc != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` exited {rc}:\n{tail(log)}")
    return wall, cpu


def verify(project: Path, expected: dict[str, dict[str, bytes]]) -> str:
    """'' if every skill is installed whole and linked for Claude Code, else what is wrong."""
    root, links = project / ".agents" / "skills", project / ".claude" / "skills"
    found = sorted(p.parent.name for p in root.glob("*/SKILL.md"))
    if found != sorted(expected):
        return f"{len(found)} skill folders under .agents/skills, expected {len(expected)}"
    for name, files in expected.items():
        for rel, data in files.items():
            path = root / name / rel
            if not path.is_file() or path.read_bytes() != data:
                return f"{path} missing or not the repository's bytes"
    reached = [n for n in expected if (links / n / "SKILL.md").is_file()]
    if len(reached) != len(expected):
        return f"{len(reached)} skills reachable under .claude/skills, expected {len(expected)}"
    return ""


def measure(row: Row, base: Path, expected: dict[str, dict[str, bytes]], record: bool) -> None:
    """One cold install and the warm ones after it, in fresh project folders under ``base``."""
    shutil.rmtree(base, ignore_errors=True)
    home, cache = base / "home", base / "cache"
    env = env_for(row.kind, home, cache)
    for state, cmd in row.commands.items():
        project = base / state
        project.mkdir(parents=True)
        if state == "lock":
            for name in ("skills.json", "skills.lock"):
                shutil.copy2(base / "cold" / name, project / name)
        try:
            wall, cpu = run_timed(cmd, project, env, base / f"{state}.log")
            problem = verify(project, expected)
            if problem:
                raise RuntimeError(f"`{' '.join(cmd)}` exited 0 but {problem}")
        except (RuntimeError, OSError) as exc:
            row.errors.append(f"{state}: {exc}")
            return
        if record:
            row.wall.setdefault(state, []).append(wall)
            row.cpu.setdefault(state, []).append(cpu)


def rows_for(args: argparse.Namespace, repo: Path, prefix: Path) -> list[Row]:
    tank = [args.tank, "install", "--all", "--agent", "claude-code", f"git+file://{repo}"]
    # With a lock: what skills.json and skills.lock record, as after cloning a project.
    tank_states = {"cold": tank, "warm": tank, "lock": [args.tank, "install"]}
    npx = ["npx", "--prefix", str(prefix), "--no-install", "skills", "add"]
    agent = ["-y", "-a", "claude-code"]
    rows = [
        Row("tank", "tank install --all (git+file://)", tank_states, "tank"),
        Row("skills-path", "npx skills add (local path)", both([*npx, str(repo), *agent]), "npx"),
        Row(
            "skills-git",
            "npx skills add (file:// git URL)",
            both([*npx, f"file://{repo}", *agent]),
            "npx",
        ),
    ]
    if args.npx_download:
        download = ["npx", "--yes", SKILLS_SPEC, "add", str(repo), *agent]
        rows.append(
            Row("skills-npx", "npx skills@1.3.9 add (npx fetches it)", both(download), "npx")
        )
    return rows


def both(cmd: list[str]) -> dict[str, list[str]]:
    """The same command cold and warm."""
    return {"cold": cmd, "warm": cmd}


def cell(values: list[float]) -> str:
    if not values:
        return "failed"
    return f"{statistics.median(values):.2f} / {min(values):.2f}"


def report(rows: list[Row], runs: int, versions: str, loads: tuple[str, str]) -> str:
    states = list(TITLES)
    out = [
        f"20 skills from one local git repository, fresh project per install; {runs} rounds "
        f"(rows interleaved, order alternating), median / min in seconds. {versions}. "
        f"`uptime` before: `{loads[0]}`; after: `{loads[1]}` ({os.cpu_count()} CPUs).",
        "",
        "| install | "
        + " | ".join(f"{TITLES[s]} (s)" for s in states)
        + " | CPU: "
        + " / ".join(TITLES[s] for s in states)
        + " (s) |",
        "| --- |" + " ---: |" * (len(states) + 1),
    ]
    for row in rows:
        cells = [cell(row.wall.get(s, [])) if s in row.commands else "—" for s in states]
        cpu = [row.cpu.get(s, []) for s in states if s in row.commands]
        cpu_cell = " / ".join(f"{statistics.median(c):.2f}" if c else "—" for c in cpu)
        out.append(f"| {row.label} | " + " | ".join(cells) + f" | {cpu_cell} |")
    failed = [f"{row.key} {err.splitlines()[0]}" for row in rows for err in row.errors[:1]]
    if failed:
        out += ["", "Failed: " + "; ".join(failed) + "."]
    return "\n".join(out)


#: Where a Tank git install spends its time: (label, file suffix, function), each the
#: cumulative time of the calls (a thread's work shows as the main thread's wait for it).
PARTS = (
    ("git commands (subprocesses)", "tank/client/gitfetch.py", "_run"),
    ("reading each skill from git (tree, checks, packing)", "tank/client/gitsrc.py", "_package"),
    ("of which: permission inference", "tank/scanner/inferred.py", "inferred_permissions"),
    ("of which: packing + integrity", "tank/core/pack.py", "pack_files"),
    ("scan at install (registry policy)", "tank/client/localscan.py", "scan_archive"),
    ("placing: cache, folders, links, lock and state", "tank/client/project.py", "commit"),
    ("whole command", "tank/cli/main.py", "main"),
)


def profile(rows: list[Row], root: Path, expected: dict[str, dict[str, bytes]]) -> str:
    """Tank's three installs once each under cProfile: where the time goes."""
    import pstats

    tank = next(row for row in rows if row.key == "tank")
    base = root / "profile"
    shutil.rmtree(base, ignore_errors=True)
    env = env_for("tank", base / "home", base / "cache")
    tool = [sys.executable, "-m", "cProfile", "-o"]
    found: dict[str, dict[str, tuple[int, float]]] = {}
    for state in tank.commands:
        project = base / state
        project.mkdir(parents=True)
        if state == "lock":
            for name in ("skills.json", "skills.lock"):
                shutil.copy2(base / "cold" / name, project / name)
        out = base / f"{state}.prof"
        cmd = [*tool, str(out), "-m", "tank.cli.main", *tank.commands[state][1:]]
        run_timed(cmd, project, env, base / f"{state}.log")
        problem = verify(project, expected)
        if problem:
            raise SystemExit(f"profiled install ({state}): {problem}")
        stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
        found[state] = {}
        for label, suffix, func in PARTS:
            hits = [v for k, v in stats.items() if k[0].endswith(suffix) and k[2] == func]
            found[state][label] = (sum(h[1] for h in hits), sum(h[3] for h in hits))
    lines = [
        f"Tank under cProfile (one install each; `uptime`: `{uptime()}`), cumulative seconds "
        "(calls):",
        "",
        "| part | " + " | ".join(TITLES[s] for s in found) + " |",
        "| --- |" + " ---: |" * len(found),
    ]
    for label, _, _ in PARTS:
        cells = [f"{found[s][label][1]:.2f} ({found[s][label][0]})" for s in found]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        raise SystemExit(f"{README} has no {BEGIN} ... {END} markers")
    head, rest = readme.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{after}", encoding="utf-8")


def version_of(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, timeout=60)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[-1].strip() if lines else "?"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="rounds; cells are median / min")
    parser.add_argument("--tank", default=str(Path(sys.executable).parent / "tank"))
    parser.add_argument(
        "--npx-download",
        action="store_true",
        help="add the row where npx fetches skills@1.3.9 from the npm registry (network)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also profile one Tank install of each state"
    )
    parser.add_argument("--readme", action="store_true", help="write the table to bench/README.md")
    args = parser.parse_args()
    if shutil.which("npx") is None or shutil.which("git") is None:
        raise SystemExit("this benchmark needs node (npm, npx) and git on PATH")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: the tempdir goes
    loads = [uptime()]
    print(f"load: {loads[0]}  ({os.cpu_count()} CPUs)", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="tank-bench-git-npx-") as tmp:
        root = Path(tmp)
        repo = make_repo(root)
        expected = skills()
        prefix = root / "skills-cli"
        setup_env = env_for("npx", root / "npm-home", root / "npm-cache")
        install = ["npm", "install", "--prefix", str(prefix), "--no-audit", SKILLS_SPEC]
        done = subprocess.run(install, env=setup_env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(install)} failed:\n{done.stdout}{done.stderr}")
        rows = rows_for(args, repo, prefix)
        skills_bin = prefix / "node_modules" / ".bin" / "skills"
        versions = (
            f"{version_of([args.tank, '--version'], setup_env)}, skills "
            f"{version_of([str(skills_bin), '--version'], setup_env)}, Node "
            f"{version_of(['node', '--version'], setup_env)}, npm "
            f"{version_of(['npm', '--version'], setup_env)}, "
            f"{version_of(['git', '--version'], setup_env)}"
        )
        for row in rows:  # untimed warm-up: byte code, the page cache, npx's first look
            measure(row, root / "runs" / row.key, expected, record=False)
        for r in range(args.runs):
            print(f"round {r + 1}/{args.runs} (load {os.getloadavg()[0]:.2f})", file=sys.stderr)
            order = rows if r % 2 == 0 else rows[::-1]
            for row in order:
                measure(row, root / "runs" / row.key, expected, record=True)
        loads.append(uptime())
        text = report(rows, args.runs, versions, (loads[0], loads[1]))
        if args.profile:
            text += "\n\n" + profile(rows, root, expected)
    print(text)
    for row in rows:
        for err in row.errors[:1]:
            print(f"\n{row.key} {err}", file=sys.stderr)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
