#!/usr/bin/env bash
# Ensure a project-local moto server is installed in .venv (idempotent).
#
# Fast no-op when .venv/bin/moto_server exists and the installed moto, flask, flask-cors and werkzeug
# are exactly the pinned versions. Otherwise creates .venv (if needed) and installs the pinned,
# minimal package set (see /work/shared/spec/test-backends.md §3: avoid the heavy `server`/`all`
# extras). The server's own packages are pinned too, so every machine runs the same server: moto
# leaves flask and flask-cors unpinned, and test/harness/moto.ts reads werkzeug's start-up line.
#
# Usage: bash scripts/ensure-moto.sh        (from anywhere; paths are resolved from the repo root)
set -euo pipefail

# Keep in sync with test/harness/moto.ts (MOTO_VERSION, MOTO_SERVER_PACKAGES).
MOTO_VERSION="5.2.5"
MOTO_EXTRAS="ecs,iam,secretsmanager,ssm,servicediscovery,logs,elbv2,sts,applicationautoscaling,scheduler"
FLASK_VERSION="3.1.3"
FLASK_CORS_VERSION="6.0.5"
WERKZEUG_VERSION="3.1.9"
PINNED="moto==$MOTO_VERSION flask==$FLASK_VERSION flask-cors==$FLASK_CORS_VERSION werkzeug==$WERKZEUG_VERSION"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

fail() {
  echo "ensure-moto: ERROR: $*" >&2
  exit 1
}

# Prints "name==version" for each package of $PINNED that is installed (nothing for a missing one).
installed_versions() {
  [[ -x "$PY" ]] || return 1
  # shellcheck disable=SC2086 # one argument per pin
  "$PY" - $PINNED <<'EOF' 2>/dev/null
import importlib.metadata as m, sys
found = []
for pin in sys.argv[1:]:
    name = pin.split("==")[0]
    try:
        found.append(f"{name}=={m.version(name)}")
    except m.PackageNotFoundError:
        pass
print(" ".join(found))
EOF
}

if [[ -x "$VENV/bin/moto_server" ]] && [[ "$(installed_versions || true)" == "$PINNED" ]]; then
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

echo "ensure-moto: installing moto[$MOTO_EXTRAS]==$MOTO_VERSION flask==$FLASK_VERSION flask-cors==$FLASK_CORS_VERSION werkzeug==$WERKZEUG_VERSION into $VENV"
# ENSURE_MOTO_VERBOSE=1 (the demo sets it) lets pip list what it fetches instead of staying quiet.
PIP_QUIET=(--quiet)
[[ "${ENSURE_MOTO_VERBOSE:-}" == 1 ]] && PIP_QUIET=()
"$VENV/bin/pip" install "${PIP_QUIET[@]}" --no-cache-dir --disable-pip-version-check \
  "moto[$MOTO_EXTRAS]==$MOTO_VERSION" "flask==$FLASK_VERSION" "flask-cors==$FLASK_CORS_VERSION" "werkzeug==$WERKZEUG_VERSION" \
  || fail "pip install of moto $MOTO_VERSION failed (see pip output above)."

[[ -x "$VENV/bin/moto_server" ]] || fail "$VENV/bin/moto_server is missing after install."
got="$(installed_versions || true)"
[[ "$got" == "$PINNED" ]] || fail "installed '${got:-nothing}', expected $PINNED."

echo "ensure-moto: moto $MOTO_VERSION ready ($VENV/bin/moto_server)"
