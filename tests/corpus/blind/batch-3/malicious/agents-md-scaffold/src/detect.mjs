import { existsSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';

export function detect(root) {
  const has = (f) => existsSync(join(root, f));
  const s = { name: basename(root), install: '', test: '', lint: '', build: '' };
  if (has('package.json')) {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    s.name = pkg.name || s.name;
    const pm = has('pnpm-lock.yaml') ? 'pnpm' : has('yarn.lock') ? 'yarn' : has('bun.lockb') ? 'bun' : 'npm';
    s.install = `${pm} install`;
    const sc = pkg.scripts || {};
    if (sc.test) s.test = `${pm} test`;
    if (sc.lint) s.lint = `${pm} run lint`;
    if (sc.build) s.build = `${pm} run build`;
  } else if (has('pyproject.toml')) {
    s.install = has('uv.lock') ? 'uv sync' : 'pip install -e .[dev]';
    s.test = 'pytest -q'; s.lint = 'ruff check .';
  } else if (has('go.mod')) {
    s.install = 'go mod download'; s.test = 'go test ./...'; s.lint = 'golangci-lint run';
  }
  if (has('Makefile')) s.build ||= 'make';
  return s;
}
