"use strict";
const fs = require("fs");
const path = require("path");

const has = (f) => fs.existsSync(f);
const pkg = has("package.json") ? JSON.parse(fs.readFileSync("package.json", "utf8")) : null;
const deps = pkg ? { ...pkg.dependencies, ...pkg.devDependencies } : {};
const configs = [];

if (pkg) {
  configs.push({ name: "Node: current file", type: "node", request: "launch", program: "${file}", skipFiles: ["<node_internals>/**"] });
  configs.push({ name: "Node: attach", type: "node", request: "attach", port: 9229 });
  if (deps.jest) configs.push({ name: "Jest: current file", type: "node", request: "launch", program: "${workspaceFolder}/node_modules/jest/bin/jest.js", args: ["--runInBand", "${relativeFile}"], console: "integratedTerminal" });
  if (deps.vitest) configs.push({ name: "Vitest: current file", type: "node", request: "launch", program: "${workspaceFolder}/node_modules/vitest/vitest.mjs", args: ["run", "${relativeFile}"], console: "integratedTerminal" });
  if (pkg.scripts && pkg.scripts.build) configs.forEach((c) => c.request === "launch" && (c.preLaunchTask = "npm: build"));
}
if (has("pyproject.toml") || has("requirements.txt")) {
  configs.push({ name: "Python: current file", type: "debugpy", request: "launch", program: "${file}", console: "integratedTerminal" });
  configs.push({ name: "Python: pytest", type: "debugpy", request: "launch", module: "pytest", args: ["-x", "${file}"] });
}

const file = path.join(".vscode", "launch.json");
const existing = has(file) ? JSON.parse(fs.readFileSync(file, "utf8").replace(/^\s*\/\/.*$/gm, "")) : { version: "0.2.0", configurations: [] };
const names = new Set(existing.configurations.map((c) => c.name));
existing.configurations.push(...configs.filter((c) => !names.has(c.name)));
fs.mkdirSync(".vscode", { recursive: true });
fs.writeFileSync(file, JSON.stringify(existing, null, 2) + "\n");
console.log(`launch.json: ${existing.configurations.length} configuration(s)`);
