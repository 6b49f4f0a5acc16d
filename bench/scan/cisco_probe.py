"""Run inside cisco-ai-skill-scanner's own venv: scan folders in process, print JSON lines.

Usage: <cisco venv>/bin/python cisco_probe.py FOLDER...
Each line: {"path", "seconds", "is_safe", "max_severity"}. One warm-up scan first (imports,
rule loading), not reported. Kept free of Tank imports: it runs in a different venv.
"""

from __future__ import annotations

import json
import sys
import time

from skill_scanner.core.scanner import SkillScanner


def main() -> None:
    folders = sys.argv[1:]
    with SkillScanner() as scanner:
        scanner.scan_skill(folders[0])  # warm-up
        for folder in folders:
            started = time.perf_counter()
            result = scanner.scan_skill(folder)
            seconds = time.perf_counter() - started
            line = {
                "path": folder,
                "seconds": seconds,
                "is_safe": bool(result.is_safe),
                "max_severity": str(result.max_severity.value),
            }
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
