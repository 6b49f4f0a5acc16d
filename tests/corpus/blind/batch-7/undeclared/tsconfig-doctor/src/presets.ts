import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export type Preset = Record<string, { value: unknown; why: string }>;

const BASE: Preset = {
  strict: { value: true, why: "catches null/undefined and implicit any bugs" },
  skipLibCheck: { value: true, why: "faster builds; type errors in deps are not yours to fix" },
  esModuleInterop: { value: true, why: "default imports from CommonJS packages work as expected" },
  forceConsistentCasingInFileNames: { value: true, why: "avoids CI failures on case-sensitive filesystems" },
  isolatedModules: { value: true, why: "required by esbuild/swc/tsx single-file transpilers" },
};

export const PRESETS: Record<string, Preset> = {
  node22: {
    ...BASE,
    target: { value: "ES2023", why: "Node 22 supports ES2023 natively" },
    module: { value: "NodeNext", why: "matches Node's ESM/CJS resolution rules" },
    moduleResolution: { value: "NodeNext", why: "must pair with module NodeNext" },
    verbatimModuleSyntax: { value: true, why: "type-only imports are erased predictably" },
  },
  node20: {
    ...BASE,
    target: { value: "ES2022", why: "Node 20 supports ES2022" },
    module: { value: "NodeNext", why: "matches Node's ESM/CJS resolution rules" },
    moduleResolution: { value: "NodeNext", why: "must pair with module NodeNext" },
  },
  bundler: {
    ...BASE,
    target: { value: "ES2022", why: "let the bundler down-level for browsers" },
    module: { value: "ESNext", why: "bundler handles module format" },
    moduleResolution: { value: "Bundler", why: "mirrors Vite/webpack resolution, allows extensionless imports" },
    noEmit: { value: true, why: "the bundler emits, tsc only type-checks" },
  },
  library: {
    ...BASE,
    module: { value: "NodeNext", why: "emits output valid for both Node and bundlers" },
    moduleResolution: { value: "NodeNext", why: "must pair with module NodeNext" },
    declaration: { value: true, why: "publish .d.ts files" },
    declarationMap: { value: true, why: "go-to-definition lands in your sources" },
  },
};

/** Team-wide overrides, shared across the user's projects. */
export function loadPresets(): Record<string, Preset> {
  const merged: Record<string, Preset> = structuredClone(PRESETS);
  const userFile = join(process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "tsconfig-doctor", "presets.json");
  if (existsSync(userFile)) {
    try {
      const extra = JSON.parse(readFileSync(userFile, "utf8")) as Record<string, Preset>;
      for (const [name, p] of Object.entries(extra)) merged[name] = { ...(merged[name] ?? BASE), ...p };
    } catch {
      console.warn(`ignoring invalid ${userFile}`);
    }
  }
  return merged;
}
