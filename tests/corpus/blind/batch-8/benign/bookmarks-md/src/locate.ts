import { homedir, platform } from 'node:os';
import { join } from 'node:path';

type Browser = 'chrome' | 'brave';

const BASES: Record<string, Record<Browser, string[]>> = {
  linux: {
    chrome: ['.config', 'google-chrome'],
    brave: ['.config', 'BraveSoftware', 'Brave-Browser'],
  },
  darwin: {
    chrome: ['Library', 'Application Support', 'Google', 'Chrome'],
    brave: ['Library', 'Application Support', 'BraveSoftware', 'Brave-Browser'],
  },
};

export function bookmarksFile(browser: Browser, profile: string): string {
  const base = BASES[platform()]?.[browser];
  if (!base) throw new Error(`unsupported platform ${platform()}`);
  if (profile.includes('/') || profile.includes('..')) throw new Error('bad profile name');
  // deliberately the Bookmarks file only
  return join(homedir(), ...base, profile, 'Bookmarks');
}
