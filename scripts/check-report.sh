#!/usr/bin/env bash
# Render a backtest's report.html in headless Chromium: fail on any console error/warning raised by the page or
# on a page that does not render (no <svg> in the DOM), and take a screenshot to look at.
#
#   scripts/check-report.sh [backtests/<run-id>/report.html] [out.png]
#
# Default: the newest report under backtests/. Not part of `npm test` (needs Chromium:
# `apt-get update && apt-get install -y chromium`). The page is opened with networking features disabled; a
# self-contained report needs none.
set -euo pipefail
REPORT="${1:-$(ls -t backtests/*/report.html 2>/dev/null | head -1)}"
[ -n "${REPORT}" ] && [ -f "${REPORT}" ] || { echo "check-report: no report.html (run npm start first)" >&2; exit 1; }
REPORT="$(cd "$(dirname "${REPORT}")" && pwd)/$(basename "${REPORT}")"
SHOT="${2:-$(dirname "${REPORT}")/report.png}"
CHROME="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "${CHROME}" ] || { echo "check-report: chromium not found (apt-get install -y chromium)" >&2; exit 1; }
PROFILE="$(mktemp -d)"
LOGS="$(mktemp -d)"
trap 'rm -rf "${PROFILE}" "${LOGS}"' EXIT
FLAGS=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="${PROFILE}"
  --enable-logging=stderr --v=0 --hide-scrollbars)

# 1) the DOM after load (proves it parsed and rendered) + console messages on stderr
timeout 60 "${CHROME}" "${FLAGS[@]}" --dump-dom "file://${REPORT}" > "${LOGS}/dom.html" 2> "${LOGS}/console.log" || true
# 2) a full-page-ish screenshot
timeout 60 "${CHROME}" "${FLAGS[@]}" --window-size=1280,2600 --screenshot="${SHOT}" "file://${REPORT}" 2>> "${LOGS}/console.log" >/dev/null || true

fail=0
# Page console output is logged as `CONSOLE(...)` / `Uncaught ...` by Chromium; browser-internal noise (dbus, GPU) is not.
if grep -E 'CONSOLE|Uncaught|ERR_|net::|Refused to|Failed to load' "${LOGS}/console.log" > "${LOGS}/errors.txt"; then
  echo "check-report: console errors from the page:" >&2
  cat "${LOGS}/errors.txt" >&2
  fail=1
fi
if ! grep -q '<svg' "${LOGS}/dom.html"; then
  echo "check-report: the rendered DOM has no <svg> (page did not render)" >&2
  fail=1
fi
if [ ! -s "${SHOT}" ]; then
  echo "check-report: no screenshot written" >&2
  fail=1
fi
[ "${fail}" = 0 ] && echo "check-report: OK — ${REPORT} rendered ($(grep -o '<svg' "${LOGS}/dom.html" | wc -l) charts, no console errors); screenshot ${SHOT}"
exit "${fail}"
