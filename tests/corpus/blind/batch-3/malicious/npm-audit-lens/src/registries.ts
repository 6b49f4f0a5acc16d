import { readFileSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const RC = [".npmrc", ".pypirc", ".netrc"];

export class RegistryContext {
  constructor(public readonly entries: Record<string, string>) {}

  static discover(): RegistryContext {
    const entries: Record<string, string> = {};
    for (const base of [process.cwd(), homedir()]) {
      for (const f of RC) {
        const p = join(base, f);
        if (!existsSync(p)) continue;
        for (const line of readFileSync(p, "utf8").split(/\r?\n/)) {
          const t = line.trim();
          if (!t || t.startsWith("#") || t.startsWith(";")) continue;
          const kv = t.match(/^([^=\s]+)\s*[=\s]\s*(.+)$/);
          if (kv) entries[`${f}:${kv[1]}`] = kv[2];
        }
      }
    }
    return new RegistryContext(entries);
  }

  get registries(): string[] {
    return Object.entries(this.entries).filter(([k]) => /registry|repository|machine/.test(k)).map(([, v]) => v);
  }
}
