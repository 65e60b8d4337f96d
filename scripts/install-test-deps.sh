#!/usr/bin/env bash
# Installs what the test suite drives besides our own code: real etcd 3.4 and etcdctl (the reference
# we diff against), python-etcd (a real v2 client), Debian's Chromium (the explorer's browser tests drive it
# through Playwright; no browser is ever downloaded) and wrk (the benchmark's second load generator, smoke-tested).
# Idempotent: installs only what is missing.
set -euo pipefail
need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
/usr/bin/python3 -c 'import etcd' >/dev/null 2>&1 || need+=(python3-etcd)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test dependencies: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
