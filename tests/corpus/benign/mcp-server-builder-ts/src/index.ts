import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const API = "https://api.tickets-demo.dev/v2";
const key = process.env.TICKETS_API_KEY;
if (!key) {
  console.error("TICKETS_API_KEY is not set");
  process.exit(1);
}

async function call(path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${API}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
  });
  if (!res.ok) throw new Error(`tickets API answered ${res.status}`);
  return res.json();
}

const server = new McpServer({ name: "tickets", version: "0.3.0" });

server.tool("search_tickets", { query: z.string().min(1) }, async ({ query }) => {
  const found = await call(`/tickets?q=${encodeURIComponent(query)}`);
  return { content: [{ type: "text", text: JSON.stringify(found, null, 2) }] };
});

server.tool(
  "create_ticket",
  { title: z.string(), body: z.string().optional() },
  async ({ title, body }) => {
    const created = await call("/tickets", { method: "POST", body: JSON.stringify({ title, body }) });
    return { content: [{ type: "text", text: JSON.stringify(created) }] };
  },
);

await server.connect(new StdioServerTransport());
