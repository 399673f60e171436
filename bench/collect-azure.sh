#!/usr/bin/env bash
# Rerunnable benchmark of the Azure Key Vault collector: 50 vaults × 200 objects (or the given sizes)
# against the loopback ARM test server and Key Vault test double; appends a row to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
node --import tsx bench/collect-azure.ts "${1:-50}" "${2:-200}"
