#!/usr/bin/env bash
# Mozilla Readability (npm @mozilla/readability on linkedom, in node; pass jsdom as the second argument for
# jsdom) and SecForge's extractor on the same
# extraction-dev pages in one run: prints precision, recall, F1 (the dev set's own scoring) and pages/s of both.
# Needs ../shared/data/extraction-dev (or SECFORGE_SHARED_DATA) and `npm ci` in tools/ (.ci/run does it).
# Usage: benchmarks/extraction-vs-readability.sh [passes=2] [linkedom|jsdom]
# The pages are the ones the extractor was developed on: its F1 here is a development figure, not a held-out one.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d tools/node_modules/linkedom ] || (cd tools && npm ci --no-audit --no-fund)
dotnet build benchmarks/SecForge.Benchmarks -c Release --nologo -v quiet >/dev/null
exec dotnet artifacts/bin/SecForge.Benchmarks/release/SecForge.Benchmarks.dll extraction-compare "${1:-2}" "${2:-linkedom}"
