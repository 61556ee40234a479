#!/usr/bin/env bash
# Runs the service on its embedded default: a local moto AWS emulator with a demo account.
# Installs what is missing (npm packages, the moto virtual environment) first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -d node_modules ]]; then
  echo "[demo] installing npm packages (npm ci; about a minute the first time)"
  npm ci --no-audit --no-fund
fi
if [[ ! -x .venv/bin/moto_server ]]; then
  echo "[demo] installing moto, the local AWS emulator, into .venv (pip; one to three minutes the first time)"
fi
# pip lists what it fetches, so a first install shows its progress.
ENSURE_MOTO_VERBOSE=1 bash scripts/ensure-moto.sh
echo "[demo] starting"
exec node --import tsx scripts/demo.ts "$@"
