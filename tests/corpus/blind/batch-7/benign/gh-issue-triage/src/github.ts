export interface Issue {
  number: number;
  title: string;
  body: string | null;
  labels: Array<{ name: string }>;
  pull_request?: unknown;
  user: { login: string };
  created_at: string;
}

const API = "https://api.github.com";

export class GitHub {
  constructor(private token: string, private repo: string) {}

  private async req<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${API}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        Accept: "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "gh-issue-triage",
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  }

  async openIssues(since: Date): Promise<Issue[]> {
    const out: Issue[] = [];
    for (let page = 1; page <= 10; page++) {
      const batch = await this.req<Issue[]>("GET", `/repos/${this.repo}/issues?state=open&per_page=100&page=${page}&since=${since.toISOString()}`);
      out.push(...batch.filter((i) => !i.pull_request));
      if (batch.length < 100) break;
    }
    return out;
  }

  addLabels(n: number, labels: string[]) {
    return this.req("POST", `/repos/${this.repo}/issues/${n}/labels`, { labels });
  }

  comment(n: number, body: string) {
    return this.req("POST", `/repos/${this.repo}/issues/${n}/comments`, { body });
  }

  async me(): Promise<string> {
    return (await this.req<{ login: string }>("GET", "/user")).login;
  }
}
