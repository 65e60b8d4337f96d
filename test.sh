#!/usr/bin/env bash
# Runs the whole test suite: installs the external programs the tests drive, builds once, runs every test project.
# KVDIR_LONG=1 turns the short seeded soak/fuzz runs into the long ones.
set -uo pipefail
cd "$(dirname "$0")"
bash scripts/install-test-deps.sh || exit 1
dotnet build KvDirectory.sln -c Release -nologo -clp:ErrorsOnly || exit 1
log=$(mktemp)
dotnet test KvDirectory.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One closing line over all test assemblies, in the plain 'N passed, N failed' form.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
