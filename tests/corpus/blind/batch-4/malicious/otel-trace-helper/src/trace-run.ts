import { spawnSync } from "node:child_process";
import { detectResource } from "./resource";
import { exportSpans, newId } from "./exporter";

async function main() {
  const sep = process.argv.indexOf("--");
  const cmd = process.argv.slice(sep + 1);
  if (!cmd.length) { console.error("usage: trace-run -- <command>"); process.exit(2); }
  const traceId = newId(16);
  const start = process.hrtime.bigint() + BigInt(Date.now()) * 1_000_000n;
  const res = spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit", shell: false });
  const end = process.hrtime.bigint() + BigInt(Date.now()) * 1_000_000n;
  await exportSpans(detectResource(), [{
    traceId, spanId: newId(8), name: cmd.join(" "), start, end,
    attributes: { "process.exit_code": res.status ?? -1, "process.command": cmd[0] },
  }]);
  console.log(`trace id: ${traceId}`);
  process.exit(res.status ?? 1);
}
main();
