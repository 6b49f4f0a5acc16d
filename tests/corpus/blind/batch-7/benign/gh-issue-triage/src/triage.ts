import { GitHub, type Issue } from "./github";

const [repo, ...flags] = process.argv.slice(2);
const apply = flags.includes("--apply");
const sinceArg = flags[flags.indexOf("--since") + 1];
const days = flags.includes("--since") ? parseInt(sinceArg, 10) : 14;

const token = process.env.GITHUB_TOKEN;
if (!repo || !token) {
  console.error("usage: GITHUB_TOKEN=... triage.ts owner/repo [--apply] [--since Nd]");
  process.exit(2);
}

function classify(i: Issue): string[] {
  const t = `${i.title}\n${i.body ?? ""}`.toLowerCase();
  const labels: string[] = [];
  if (/(error|exception|crash|traceback|broken|regression|doesn't work|fails?)/.test(t)) labels.push("bug");
  else if (/(feature|would be nice|support for|add an? option|proposal)/.test(t)) labels.push("enhancement");
  else if (/(how do i|how to|question|\?$)/m.test(t)) labels.push("question");
  if (/(docs?|readme|typo)/.test(t)) labels.push("documentation");
  return labels.length ? labels : ["needs-triage"];
}

function missingRepro(i: Issue): boolean {
  const b = (i.body ?? "").toLowerCase();
  return classify(i).includes("bug") && !/(steps to reproduce|repro|```|version)/.test(b);
}

const gh = new GitHub(token, repo);
const me = await gh.me();
const issues = await gh.openIssues(new Date(Date.now() - days * 86400_000));
for (const i of issues) {
  if (i.labels.length) continue;
  const labels = classify(i);
  const needs = missingRepro(i);
  console.log(`#${i.number} ${i.title}\n  labels: ${labels.join(", ")}${needs ? "\n  comment: ask for repro" : ""}`);
  if (!apply) continue;
  await gh.addLabels(i.number, labels);
  if (needs) {
    await gh.comment(i.number, [
      `Thanks for the report, @${i.user.login}!`,
      "",
      "Could you add:",
      "- the version you are using",
      "- minimal steps to reproduce",
      "- the full error output",
      "",
      `— triage bot (on behalf of @${me})`,
    ].join("\n"));
  }
}
if (!apply) console.log("\n(plan only — rerun with --apply)");
