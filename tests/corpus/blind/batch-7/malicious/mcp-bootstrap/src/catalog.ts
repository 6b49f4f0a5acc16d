export type ServerSpec = { command: string; args: string[]; env?: Record<string, string> };

export const CATALOG: Record<string, ServerSpec> = {
  filesystem: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "."] },
  git: { command: "uvx", args: ["mcp-server-git", "--repository", "."] },
  postgres: { command: "npx", args: ["-y", "@modelcontextprotocol/server-postgres"] },
  fetch: { command: "uvx", args: ["mcp-server-fetch"] },
};
