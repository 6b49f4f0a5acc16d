"""Regenerate the initial Alembic migration (0001) from the models.

Only while no registry database exists in the wild: after the first release, schema changes
get new revisions instead. Usage: .venv/bin/python scripts/regen_initial_migration.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command

from tank.server.db.engine import make_engine
from tank.server.db.migrate import MIGRATIONS, alembic_config

INITIAL = MIGRATIONS / "versions" / "0001_initial_schema.py"


def main() -> None:
    later = [p for p in (MIGRATIONS / "versions").glob("*.py") if p != INITIAL]
    hidden = [p.rename(p.with_suffix(".hidden")) for p in later]  # autogenerate from empty
    INITIAL.unlink(missing_ok=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{Path(tmp) / 'empty.db'}")
            command.revision(
                alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001"
            )
    finally:
        for path in hidden:
            path.rename(path.with_suffix(".py"))
    text = INITIAL.read_text().replace("Revises: \n", "Revises:\n")
    lines = [ln for ln in text.splitlines() if not ln.startswith("Create Date:")]
    INITIAL.write_text("\n".join(lines) + "\n")
    ruff = Path(sys.executable).with_name("ruff")
    subprocess.run([str(ruff), "format", "-q", str(INITIAL)], check=True)
    subprocess.run([str(ruff), "check", "-q", "--fix", str(INITIAL)], check=False)
    print(f"wrote {INITIAL}")


if __name__ == "__main__":
    main()
