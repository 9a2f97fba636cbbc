#!/usr/bin/env bash
# Runs every test in Platform.sln. Installs what the integration tests need when it is missing:
# PostgreSQL, Redis and Chromium for the dashboard's browser test (apt), anvil / cast / solc (npm, under infra/chain).
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql)
command -v redis-server >/dev/null || need_apt+=(redis-server)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]} (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f infra/chain/package.json ] && [ ! -d infra/chain/node_modules ]; then
  echo "test.sh: installing chain tools (npm ci in infra/chain)"
  (cd infra/chain && npm ci --no-audit --no-fund --loglevel=error)
fi
# Compiled once here, before the test projects run side by side and would each compile them.
if [ -d infra/chain/node_modules ]; then
  (cd infra/chain && node compile.js >/dev/null)
fi

log=$(mktemp)
set +e
dotnet test Platform.sln -c Release "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $rc
