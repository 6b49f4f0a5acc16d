#!/usr/bin/env bash
# The main job on a fresh machine: install tank, then validate and pack every bundled example
# skill twice and show that the tarballs are byte-identical (reproducible packing).
# (Once the registry lands, this script starts it on SQLite + a local folder.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
tank=.venv/bin/tank
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$tank --version
for skill in examples/skills/*/; do
  $tank validate "$skill"
  $tank pack "$skill" --out "$out/a" --json > "$out/a.json"
  $tank pack "$skill" --out "$out/b" > /dev/null
  path=$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["path"])' "$out/a.json")
  cmp "$path" "$out/b/$(basename "$path")"
  .venv/bin/python - "$out/a.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"  {d['name']}@{d['version']}: {d['files']} files, {d['size']} bytes, "
      f"{d['integrity'][:31]}... (reproducible)")
PY
done
$tank validate examples/project
$tank permissions examples/project
