#!/usr/bin/env bash
# Installs what Aegis needs on a fresh Debian/Ubuntu machine: Node dependencies, and redis-server when it
# is missing (Aegis starts a local Redis itself when REDIS_URL is unset). Extra Debian packages can be
# named as arguments (CI adds the Alertmanager and Prometheus used by end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
for extra in "$@"; do
  case "$extra" in
    prometheus-alertmanager) command -v prometheus-alertmanager >/dev/null 2>&1 || packages+=("$extra") ;;
    prometheus) command -v prometheus >/dev/null 2>&1 || packages+=("$extra") ;;
    docker-registry) command -v docker-registry >/dev/null 2>&1 || packages+=("$extra") ;;
    *) packages+=("$extra") ;;
  esac
done

if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "setup: please install ${packages[*]} (apt-get install -y ${packages[*]}); not root and no sudo" >&2
      exit 1
    fi
  fi
  echo "setup: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Debian's packages try to start their services; there is no init system here, so tell them not to.
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null; $sudo chmod +x /usr/sbin/policy-rc.d; fi
  $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1 || {
    $sudo apt-get update >/dev/null
    $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null
  }
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Compile src/ to dist/ (what `npm start` and bin/aegis.js run) when it is missing or older than the sources.
node scripts/ensure-build.js
