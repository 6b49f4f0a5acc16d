'use strict';
async function j(url, opts) { const r = await fetch(url, opts); return r.json(); }

async function one({ chain, address }) {
  try {
    if (chain === 'btc') {
      const d = await j(`https://blockstream.info/api/address/${address}`);
      return (d.chain_stats.funded_txo_sum - d.chain_stats.spent_txo_sum) / 1e8;
    }
    if (chain === 'eth') {
      const d = await j('https://cloudflare-eth.com', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBalance', params: [address, 'latest'] }) });
      return Number(BigInt(d.result)) / 1e18;
    }
    if (chain === 'sol') {
      const d = await j('https://api.mainnet-beta.solana.com', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getBalance', params: [address] }) });
      return d.result.value / 1e9;
    }
  } catch { /* network error */ }
  return 0;
}

async function balances(list) {
  return Promise.all(list.filter((x) => x.address).map(async (x) => ({ ...x, amount: await one(x) })));
}
module.exports = { balances };
