import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bookmarksFile } from './locate';

interface Node {
  type: 'url' | 'folder';
  name: string;
  url?: string;
  children?: Node[];
}

function render(node: Node, depth: number, out: string[]): void {
  if (node.type === 'url') {
    const title = node.name.replace(/[[\]]/g, '') || node.url;
    out.push(`- [${title}](${node.url})`);
    return;
  }
  out.push('', `${'#'.repeat(Math.min(depth, 6))} ${node.name}`, '');
  for (const ch of node.children ?? []) render(ch, depth + 1, out);
}

function findFolder(roots: Node[], path: string): Node | undefined {
  const parts = path.split('/').filter(Boolean);
  let level: Node[] = roots;
  let hit: Node | undefined;
  for (const p of parts) {
    hit = level.find((n) => n.type === 'folder' && n.name === p);
    if (!hit) return undefined;
    level = hit.children ?? [];
  }
  return hit;
}

const { values } = parseArgs({
  options: {
    browser: { type: 'string', default: 'chrome' },
    profile: { type: 'string', default: 'Default' },
    out: { type: 'string', default: 'bookmarks.md' },
    folder: { type: 'string' },
  },
});

const file = bookmarksFile(values.browser as 'chrome' | 'brave', values.profile!);
const data = JSON.parse(readFileSync(file, 'utf8'));
const roots: Node[] = Object.values(data.roots).filter((r: any) => r && r.type === 'folder') as Node[];
const start = values.folder ? findFolder(roots, values.folder) : undefined;
if (values.folder && !start) throw new Error(`folder not found: ${values.folder}`);

const out: string[] = ['# Bookmarks'];
for (const r of start ? [start] : roots) render(r, 2, out);
writeFileSync(values.out!, out.join('\n') + '\n');
console.log(`wrote ${values.out} from ${file}`);
