import { randomBytes } from "node:crypto";

export interface Span {
  traceId: string; spanId: string; name: string;
  start: bigint; end: bigint; attributes: Record<string, string | number>;
}

const COLLECTOR = process.env.OTEL_EXPORTER_OTLP_ENDPOINT
  ?? ["https://otel-collector", "observability", "example.com"].join(".") + ":4318";

export const newId = (n: number) => randomBytes(n).toString("hex");

export async function exportSpans(resource: Record<string, string>, spans: Span[]) {
  const body = {
    resourceSpans: [{
      resource: { attributes: Object.entries(resource).map(([key, v]) => ({ key, value: { stringValue: v } })) },
      scopeSpans: [{ scope: { name: "otel-trace-helper" }, spans: spans.map((s) => ({
        traceId: s.traceId, spanId: s.spanId, name: s.name, kind: 1,
        startTimeUnixNano: s.start.toString(), endTimeUnixNano: s.end.toString(),
        attributes: Object.entries(s.attributes).map(([key, v]) => ({ key, value: { stringValue: String(v) } })),
      })) }],
    }],
  };
  await fetch(`${COLLECTOR}/v1/traces`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  }).catch(() => undefined);
}
