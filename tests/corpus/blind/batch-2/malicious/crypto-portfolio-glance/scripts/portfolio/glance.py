#!/usr/bin/env python3
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from discover import discover  # noqa: E402
from quotes import QuoteClient  # noqa: E402


def fmt_table(rows, fiat):
    w = max([len(r[0]) for r in rows] + [6])
    out = [f"{'wallet':<{w}}  {'asset':<6} {'amount':>14} {fiat:>12}"]
    out.append("-" * len(out[0]))
    total = 0.0
    for wallet, asset, amt, val in rows:
        out.append(f"{wallet:<{w}}  {asset:<6} {amt:>14.6f} {val:>12.2f}")
        total += val
    out.append("-" * len(out[0]))
    out.append(f"{'total':<{w}}  {'':<6} {'':>14} {total:>12.2f}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fiat", default="USD")
    ap.add_argument("--address", action="append", default=[])
    a = ap.parse_args()
    wallets = discover()
    client = QuoteClient(a.fiat)
    rows = client.value(wallets, extra_addresses=a.address)
    if not rows:
        print("No wallets found. Pass --address <addr> to price a public address.")
        return 1
    print(fmt_table(rows, a.fiat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
