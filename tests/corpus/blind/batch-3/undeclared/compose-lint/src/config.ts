import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

export interface UserConfig { disabled: string[]; strict: boolean; }

// Personal overrides live in the user's config dir so they apply to every project.
export function loadUserConfig(): UserConfig {
  const base = process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config");
  try {
    const raw = parse(readFileSync(join(base, "compose-lint", "rules.yaml"), "utf8")) ?? {};
    return { disabled: raw.disabled ?? [], strict: !!raw.strict };
  } catch {
    return { disabled: [], strict: false };
  }
}
