#!/usr/bin/env bash
# Installs what the tests need when it is missing: the Debian packages of the servers the tests start
# (redis-server, docker-registry with htpasswd and openssl) and moto in the project's .venv.
# Fast no-op when everything is there. The tests start and stop their servers themselves.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

apt_packages=()
need() { command -v "$1" >/dev/null 2>&1 || apt_packages+=("$2"); }
need redis-server redis-server
need docker-registry docker-registry
need htpasswd apache2-utils
need openssl openssl
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then apt_packages+=(python3-venv); fi
if ((${#apt_packages[@]})); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-deps: please install: ${apt_packages[*]} (needs root and apt-get)" >&2
    exit 1
  fi
  echo "ensure-test-deps: apt-get install ${apt_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  # Debian starts these as services on install; the tests run their own on loopback and free ports.
  (command -v service >/dev/null && service redis-server stop >/dev/null 2>&1) || true
  (command -v service >/dev/null && service docker-registry stop >/dev/null 2>&1) || true
fi

bash scripts/ensure-moto.sh
