#!/bin/sh
# CTest entry point of the browser test: skips (exit 77) only when Node or
# Chromium is truly absent; otherwise runs e2e.mjs, which builds an index,
# starts vigie-server and drives headless Chromium through the pages.
#   run.sh VIGIE_INDEX VIGIE_SERVER SOURCE_DIR SHARED_CORPUS ARTIFACTS_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
chromium=${VIGIE_CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (scripts/bootstrap installs nodejs)"
  exit 77
fi
if [ ! -x "$chromium" ]; then
  echo "SKIP: no Chromium at $chromium (scripts/bootstrap installs chromium)"
  exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "FAIL: tests/browser/node_modules is missing: run scripts/bootstrap (npm ci --prefix tests/browser)"
  exit 1
fi
exec node "$here/e2e.mjs" "$@"
