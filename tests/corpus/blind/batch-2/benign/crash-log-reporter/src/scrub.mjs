import { homedir, userInfo } from 'node:os';

const home = homedir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const RULES = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, '<aws-key>'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, '<github-token>'],
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,}\b/g, '<api-key>'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, '<slack-token>'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g, '<jwt>'],
  [/(?<=(?:password|passwd|secret|token|authorization)["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '<redacted>'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '<private-key>'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '<email>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  [new RegExp(home, 'g'), '~'],
  [new RegExp(`\\b${userInfo().username}\\b`, 'g'), '<user>'],
];

export const scrub = (text) => RULES.reduce((t, [re, rep]) => t.replace(re, rep), text);
