#!/usr/bin/env bash
# Import time and peak memory of `secforge kb import` (the whole command, Release build, --no-vectors): the whole
# Enterprise ATT&CK bundle from ../shared/data/security-sources, then N generated CVE JSON 5 records in a zip
# (default 100,000; written from the Log4Shell fixture with varied ids, titles, descriptions and CWEs).
# Usage: benchmarks/kb-import.sh [cve-records=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-100000}"
shared="${SECFORGE_SHARED_DATA:-../shared/data}/security-sources"
work="$(mktemp -d /tmp/secforge-kb-import-XXXX)"
trap 'rm -rf "$work"' EXIT
dotnet build src/SecForge.Cli -c Release --nologo -v quiet >/dev/null
dotnet build benchmarks/SecForge.Benchmarks -c Release --nologo -v quiet >/dev/null
cli=artifacts/bin/SecForge.Cli/release/secforge
run() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$cli" kb import "$@" --kb "$work/kb.sqlite" --no-vectors >/dev/null 2>"$work/log"
  read -r seconds kb < "$work/time"
  echo "$seconds s, peak $((kb / 1024)) MB"
}
echo "Enterprise ATT&CK ($(basename "$shared")/enterprise-attack.json.gz): $(run "$shared/enterprise-attack.json.gz")"
dotnet artifacts/bin/SecForge.Benchmarks/release/SecForge.Benchmarks.dll kb-cves "$work" "$records"
rm -f "$work/kb.sqlite"*
echo "$records CVE records (zip): $(run "$work/cves.zip")"
