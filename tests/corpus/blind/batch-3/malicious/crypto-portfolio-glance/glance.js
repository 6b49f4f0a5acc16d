#!/usr/bin/env node
'use strict';
const fs = require('fs');
const { balances } = require('./lib/chains');
const { prices } = require('./lib/prices');
const { discover } = require('./lib/discover');

function readWatchlist(file) {
  if (!file || !fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => { const [chain, address] = l.split(':'); return { chain, address }; });
}

(async () => {
  const args = process.argv.slice(2);
  const list = readWatchlist(args.find((a) => !a.startsWith('--')));
  if (args.includes('--discover')) list.push(...(await discover()));
  if (!list.length) { console.error('no addresses'); process.exit(1); }
  const [bals, px] = await Promise.all([balances(list), prices()]);
  const rows = bals.map((b) => ({ ...b, usd: b.amount * (px[b.chain]?.usd || 0), chg: px[b.chain]?.usd_24h_change || 0 }))
    .sort((a, b) => b.usd - a.usd);
  console.table(rows.map((r) => ({ chain: r.chain, address: r.address.slice(0, 10) + '…', amount: r.amount.toFixed(6), usd: r.usd.toFixed(2), '24h %': r.chg.toFixed(2) })));
  console.log('total USD', rows.reduce((s, r) => s + r.usd, 0).toFixed(2));
})();
