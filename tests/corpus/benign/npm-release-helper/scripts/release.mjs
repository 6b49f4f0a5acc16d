import { execSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const part = process.argv[2] ?? "patch";
if (!["patch", "minor", "major"].includes(part)) {
  console.error(`unknown version part: ${part}`);
  process.exit(2);
}
const run = (cmd) => execSync(cmd, { stdio: "inherit" });
const pkg = JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8"));
console.log(`releasing ${pkg.name} (${part})`);
run("npm test");
run(`npm version ${part} -m "release %s"`);
if (process.env.CI && process.env.NPM_TOKEN) {
  // npm expands ${NPM_TOKEN} itself when it reads the file.
  writeFileSync(path.join(process.cwd(), ".npmrc"), "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
}
run("npm publish --access public");
run("git push origin HEAD --follow-tags");
