#!/usr/bin/env bash
# Runs the service on its embedded default: a local moto AWS emulator with a demo account.
# Installs what is missing (npm packages, the moto virtual environment) first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund
bash scripts/ensure-moto.sh
exec node --import tsx scripts/demo.ts "$@"
