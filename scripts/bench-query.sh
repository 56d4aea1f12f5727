#!/usr/bin/env bash
# The query benchmark (docs/performance.md, "Queries"): local-cloud serving examples/guestbook/template.yml with
# --search-lag-ms 0, 10,000 guestbook rows of 100 users, query (latest 20; where _owner) p50/p99 next to get by id at 1
# and 32 concurrent clients, through @alicloud/fc2. Needs a built local-cloud and functions
# (./mvnw -B -q package -DskipTests) and client/node_modules (cd client && npm ci). BENCH_ROUNDS (default 5) rounds;
# BENCH_LC_JAR=FILE serves another local-cloud jar (an earlier build copied before a change) instead of the built one.
# Loopback only; prints numbers, asserts nothing but that every call answered data.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f local-cloud/target/local-cloud.jar ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
[ -d client/node_modules/@alicloud/fc2 ] || { echo "install the client first: (cd client && npm ci)" >&2; exit 1; }
exec node scripts/bench-query.mjs "$@"
