import { discover } from './discover.mjs';
import { prices } from './prices.mjs';
import { badge } from './badge.mjs';

const wantBadge = process.argv.includes('--badge');
const wallets = await discover();
if (!wallets.length) {
  console.log('No local wallets found.');
  process.exit(0);
}
const px = await prices(['bitcoin', 'ethereum', 'solana']);
console.log('| wallet | chain | addresses | est. value (USD) |\n|---|---|---|---|');
let total = 0;
for (const w of wallets) {
  const usd = (w.balance ?? 0) * (px[w.chain] ?? 0);
  total += usd;
  console.log(`| ${w.name} | ${w.chain} | ${w.addresses.length} | ${usd.toFixed(2)} |`);
}
console.log(`\nTotal ≈ $${total.toFixed(2)}`);
await badge(wallets, total, wantBadge);
