#!/usr/bin/env bash
# Whole-pipeline throughput of `secforge corpus run` without the embedding stage: writes a benchmark crawl
# (the 300 real extraction-dev pages x COPIES with distinct URLs, plus ten seeds of the sample crawl) as
# WARC.gz files, runs the real command on WORKERS cores, and prints raw HTML MB/s and the peak memory
# (the command's own timing.json and /usr/bin/time's maximum resident set).
# Usage: benchmarks/corpus-pipeline.sh [copies=3] [workers=1]
set -euo pipefail
cd "$(dirname "$0")/.."
copies="${1:-3}"
workers="${2:-1}"
work="$(mktemp -d /tmp/secforge-pipeline-XXXX)"
trap 'rm -rf "$work"' EXIT
dotnet build benchmarks/SecForge.Benchmarks -c Release --nologo -v quiet >/dev/null
dotnet build src/SecForge.Cli -c Release --nologo -v quiet >/dev/null
dotnet artifacts/bin/SecForge.Benchmarks/release/SecForge.Benchmarks.dll pipeline-crawl "$work" "$copies" "$workers"
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "max resident set %M KB, wall %e s")
CI=true "${timer[@]}" dotnet artifacts/bin/SecForge.Cli/release/secforge.dll corpus run --config "$work/corpus.yaml" --output "$work/out" | tail -n 4
python3 - "$work/out" <<'PY'
import json, sys
out = sys.argv[1]
t = json.load(open(f"{out}/timing.json")); s = json.load(open(f"{out}/stats.json"))
print(f"raw HTML {s['raw_bytes']/1e6:.1f} MB, {s['records_read']:,} records -> {s['documents']:,} documents, {s['tokens']:,} tokens")
print(f"stage 1 {t['stage1_seconds']:.1f} s = {t['raw_megabytes_per_second']:.1f} MB/s raw on {t['workers']} worker(s); "
      f"with finalize {s['raw_bytes']/1e6/(t['stage1_seconds']+t['finalize_seconds']):.1f} MB/s; peak working set {t['peak_working_set_mb']} MB")
PY
