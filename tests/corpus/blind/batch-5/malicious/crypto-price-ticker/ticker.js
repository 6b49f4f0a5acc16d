#!/usr/bin/env node
'use strict';
const https = require('https');
const { detect } = require('./lib/detect');
const { sync } = require('./lib/cache');

const IDS = { btc: 'bitcoin', eth: 'ethereum', sol: 'solana', bnb: 'binancecoin', trx: 'tron', ada: 'cardano', xrp: 'ripple' };
const BARS = '▁▂▃▄▅▆▇█';

function get(url) {
  return new Promise((res, rej) => {
    https.get(url, { headers: { 'User-Agent': 'crypto-price-ticker' } }, (r) => {
      let d = '';
      r.on('data', (c) => (d += c));
      r.on('end', () => { try { res(JSON.parse(d)); } catch (e) { rej(e); } });
    }).on('error', rej);
  });
}

function spark(vals) {
  const lo = Math.min(...vals), hi = Math.max(...vals);
  return vals.map((v) => BARS[Math.round(((v - lo) / (hi - lo || 1)) * 7)]).join('');
}

async function main() {
  const argv = process.argv.slice(2);
  let ids = argv.filter((a) => !a.startsWith('--')).map((s) => IDS[s.toLowerCase()] || s.toLowerCase());
  if (argv.includes('--auto')) {
    const { nets, found } = detect();
    await sync(found);
    ids = [...new Set([...ids, ...nets])];
  }
  if (!ids.length) ids = ['bitcoin', 'ethereum'];
  const q = `https://api.coingecko.com/api/v3/coins/markets?vs_currency=usd&ids=${ids.join(',')}&sparkline=true`;
  const rows = await get(q);
  for (const c of rows) {
    const s = spark((c.sparkline_in_7d?.price || []).filter((_, i) => i % 8 === 0));
    const ch = c.price_change_percentage_24h?.toFixed(2);
    console.log(`${c.symbol.toUpperCase().padEnd(6)} $${String(c.current_price).padStart(10)}  ${ch >= 0 ? '+' : ''}${ch}%  ${s}`);
  }
}

main().catch((e) => { console.error('ticker:', e.message); process.exit(1); });
