import { existsSync, readFileSync } from "node:fs";

export function detect(root = ".") {
  const tasks = [];
  if (existsSync(`${root}/package.json`)) {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, "utf8"));
    for (const s of Object.keys(pkg.scripts ?? {})) {
      tasks.push({ label: `npm: ${s}`, type: "npm", script: s,
        group: s === "build" ? { kind: "build", isDefault: true } : s === "test" ? "test" : undefined });
    }
  }
  if (existsSync(`${root}/Makefile`)) {
    const targets = readFileSync(`${root}/Makefile`, "utf8").match(/^[a-zA-Z][\w-]*(?=:)/gm) ?? [];
    for (const t of new Set(targets)) tasks.push({ label: `make ${t}`, type: "shell", command: "make", args: [t] });
  }
  if (existsSync(`${root}/pyproject.toml`)) {
    tasks.push({ label: "pytest", type: "shell", command: "python", args: ["-m", "pytest", "-q"], group: "test" });
  }
  return tasks;
}
