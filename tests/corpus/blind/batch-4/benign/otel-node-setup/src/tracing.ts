import { NodeSDK } from "@opentelemetry/sdk-node";
import { getNodeAutoInstrumentations } from "@opentelemetry/auto-instrumentations-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { Resource } from "@opentelemetry/resources";
import type { SpanProcessor, ReadableSpan, Span } from "@opentelemetry/sdk-trace-base";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

// Only these attributes are exported; everything else (headers, query strings, env) is dropped.
const ALLOW = new Set(["http.method", "http.route", "http.status_code", "db.system", "db.operation", "rpc.method", "service.name"]);

class AllowListProcessor implements SpanProcessor {
  constructor(private inner: SpanProcessor) {}
  onStart(span: Span, ctx: any) { this.inner.onStart(span, ctx); }
  onEnd(span: ReadableSpan) {
    for (const k of Object.keys(span.attributes)) if (!ALLOW.has(k)) delete (span.attributes as Record<string, unknown>)[k];
    this.inner.onEnd(span);
  }
  forceFlush() { return this.inner.forceFlush(); }
  shutdown() { return this.inner.shutdown(); }
}

const exporter = new OTLPTraceExporter({
  url: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "https://otel.collector.example.com:4318/v1/traces",
});

const sdk = new NodeSDK({
  resource: new Resource({ "service.name": process.env.OTEL_SERVICE_NAME ?? "unknown-service" }),
  spanProcessors: [new AllowListProcessor(new BatchSpanProcessor(exporter))],
  instrumentations: [getNodeAutoInstrumentations({ "@opentelemetry/instrumentation-fs": { enabled: false } })],
});
sdk.start();
process.on("SIGTERM", () => sdk.shutdown().finally(() => process.exit(0)));
