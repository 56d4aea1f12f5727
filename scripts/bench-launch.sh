#!/usr/bin/env bash
# Launch to first data (issue 20, docs/performance.md "Launch to first data"): through the real Node client, the
# time from createClient to the first db answer, and the requests it took, for a new user against cold functions
# (next to the session function's cold login alone, in the same run), a returning user with valid stored STS
# credentials, and one past their expiry; each cold function a fresh JVM (scripts/bench/LaunchInstance, compiled
# here, kept out of the jars) started on its first request. Details: the header of scripts/bench-launch.mjs.
# Usage: [BENCH_ROUNDS=5] [BENCH_WAKE=0] scripts/bench-launch.sh. Needs ./mvnw -B -q package -DskipTests first, a
# JDK (javac), taskset, and client/node_modules (cd client && npm ci). Loopback only; prints timings, asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
for jar in session-function/target/session-function.jar db-function/target/db-function.jar \
  local-cloud/target/local-cloud.jar; do
  [ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests ($jar missing)" >&2; exit 1; }
done
[ -d client/node_modules/@noble/hashes ] || { echo "install the client first: (cd client && npm ci)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work/launch" --release 11 scripts/bench/LaunchInstance.java scripts/bench/FcContext.java
jar cf "$work/launch.jar" -C "$work/launch" .
node scripts/bench-launch.mjs "$work/launch.jar"
