#!/usr/bin/env bash
# Ensure a project-local moto server is installed in .venv (idempotent).
#
# Fast no-op when .venv/bin/moto_server exists and the installed moto is exactly $MOTO_VERSION.
# Otherwise creates .venv (if needed) and installs the pinned, minimal package set
# (see /work/shared/spec/test-backends.md §3: avoid the heavy `server`/`all` extras).
#
# Usage: bash scripts/ensure-moto.sh        (from anywhere; paths are resolved from the repo root)
set -euo pipefail

MOTO_VERSION="5.2.5"
MOTO_EXTRAS="ecs,iam,secretsmanager,ssm,servicediscovery,logs,elbv2,sts"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

fail() {
  echo "ensure-moto: ERROR: $*" >&2
  exit 1
}

installed_version() {
  [[ -x "$PY" ]] || return 1
  "$PY" - <<'EOF' 2>/dev/null
import importlib.metadata as m
print(m.version("moto"))
EOF
}

if [[ -x "$VENV/bin/moto_server" ]] && [[ "$(installed_version || true)" == "$MOTO_VERSION" ]]; then
  exit 0
fi

command -v python3 >/dev/null 2>&1 || fail "python3 not found on PATH (Python >= 3.10 is required for moto $MOTO_VERSION)."

python3 - <<'EOF' || fail "Python >= 3.10 is required for moto $MOTO_VERSION (found $(python3 --version 2>&1))."
import sys
sys.exit(0 if sys.version_info >= (3, 10) else 1)
EOF

if [[ ! -x "$PY" ]]; then
  echo "ensure-moto: creating virtual environment $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV" \
    || fail "'python3 -m venv $VENV' failed (on Debian/Ubuntu: apt-get install -y python3-venv)."
fi

echo "ensure-moto: installing moto[$MOTO_EXTRAS]==$MOTO_VERSION flask flask-cors into $VENV"
"$VENV/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check \
  "moto[$MOTO_EXTRAS]==$MOTO_VERSION" flask flask-cors \
  || fail "pip install of moto $MOTO_VERSION failed (see pip output above)."

[[ -x "$VENV/bin/moto_server" ]] || fail "$VENV/bin/moto_server is missing after install."
got="$(installed_version || true)"
[[ "$got" == "$MOTO_VERSION" ]] || fail "installed moto version is '${got:-none}', expected $MOTO_VERSION."

echo "ensure-moto: moto $MOTO_VERSION ready ($VENV/bin/moto_server)"
