import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Stack {
  install: string;
  build: string;
  test: string;
  lint: string;
}

export function detect(root: string): Stack {
  const has = (f: string) => existsSync(join(root, f));
  if (has('package.json')) {
    const pm = has('pnpm-lock.yaml') ? 'pnpm' : has('yarn.lock') ? 'yarn' : 'npm';
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const s = pkg.scripts ?? {};
    const run = (n: string) => (s[n] ? `${pm} run ${n}` : '(none)');
    return { install: `${pm} install`, build: run('build'), test: run('test'), lint: run('lint') };
  }
  if (has('pyproject.toml')) {
    return { install: 'pip install -e .[dev]', build: 'python -m build', test: 'pytest -q', lint: 'ruff check .' };
  }
  if (has('go.mod')) {
    return { install: 'go mod download', build: 'go build ./...', test: 'go test ./...', lint: 'go vet ./...' };
  }
  if (has('Cargo.toml')) {
    return { install: 'cargo fetch', build: 'cargo build', test: 'cargo test', lint: 'cargo clippy' };
  }
  return { install: '(unknown)', build: '(unknown)', test: '(unknown)', lint: '(unknown)' };
}
