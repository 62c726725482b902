#!/usr/bin/env bash
# npm test: build, run Podium's vitest suites (unit, integration, browser),
# then mediasoup's own test suite against the worker that setup provided.
# Ends with one line "podium: N passed, N failed" over both runners.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results="$root/.cache/test-results"
mkdir -p "$results"
rm -f "$results"/*.json

npm run build || exit 1

npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
vitest_status=$?

bash scripts/mediasoup-tests.sh --json --outputFile="$results/mediasoup.json"
mediasoup_status=$?

node -e '
  const fs = require("fs");
  const read = (file) => { try { return JSON.parse(fs.readFileSync(file, "utf8")); } catch { return null; } };
  const runs = [read(process.argv[1]), read(process.argv[2])];
  let passed = 0, failed = 0;
  for (const run of runs) {
    if (!run) { failed += 1; continue; }
    passed += run.numPassedTests;
    failed += run.numFailedTests + (run.numRuntimeErrorTestSuites ?? 0);
  }
  console.log(`podium: ${passed} passed, ${failed} failed`);
' "$results/vitest.json" "$results/mediasoup.json"

[ "$vitest_status" -eq 0 ] && [ "$mediasoup_status" -eq 0 ]
