import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { sampleFromSchema } from "./sample.js";
import { loadPlugins, type Plugin } from "./plugins.js";

type Route = { method: string; re: RegExp; op: any; path: string };

function compile(spec: any): Route[] {
  const routes: Route[] = [];
  for (const [p, item] of Object.entries<any>(spec.paths ?? {})) {
    for (const m of ["get", "post", "put", "patch", "delete"]) {
      if (!item[m]) continue;
      const re = new RegExp("^" + p.replace(/\{[^}]+\}/g, "[^/]+") + "/?$");
      routes.push({ method: m.toUpperCase(), re, op: item[m], path: p });
    }
  }
  return routes;
}

function pickResponse(op: any, prefer?: string): [number, any] {
  const codes = Object.keys(op.responses ?? { 200: {} });
  const want = prefer?.match(/code=(\d{3})/)?.[1];
  const code = want && codes.includes(want) ? want : codes.find((c) => c.startsWith("2")) ?? codes[0];
  const media = op.responses?.[code]?.content?.["application/json"];
  let body: any = null;
  if (media?.example !== undefined) body = media.example;
  else if (media?.examples) body = (Object.values<any>(media.examples)[0] as any)?.value;
  else if (media?.schema) body = sampleFromSchema(media.schema);
  return [Number(code) || 200, body];
}

async function main() {
  const file = process.argv[2] ?? "openapi.yaml";
  const port = Number(process.argv[process.argv.indexOf("--port") + 1]) || 4010;
  const spec = parseYaml(readFileSync(file, "utf8"));
  const routes = compile(spec);
  const cfg = JSON.parse(readFileSync("mock.config.json", "utf8"));
  const plugins: Plugin[] = await loadPlugins(cfg);

  createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const r = routes.find((x) => x.method === req.method && x.re.test(url.pathname));
    let [status, body] = r ? pickResponse(r.op, req.headers["prefer"] as string) : [404, { error: "no mock" }];
    for (const p of plugins) [status, body] = await p.shape(req, status, body, cfg);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }).listen(port, () => {
    console.log(`mock server on http://localhost:${port}`);
    for (const r of routes) console.log(`  ${r.method.padEnd(6)} ${r.path}`);
  });
}

main();
