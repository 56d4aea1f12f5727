#!/usr/bin/env bash
# Builds the functions, the JS client and local-cloud, printing each module as Maven reaches it (and a count of
# the dependencies a first build downloads), then starts local-cloud with the arguments given, e.g.
#   scripts/local-cloud.sh --port 9000 --data .local-cloud      (the console and admin API then on 9001)
# The full build log is kept only when the build fails. MVNW and JAVA name other commands (the tests use them).
set -euo pipefail
cd "$(dirname "$0")/.."

mvnw=${MVNW:-./mvnw}
java=${JAVA:-java}
log=$(mktemp "${TMPDIR:-/tmp}/local-cloud-build.XXXXXX")
started=$SECONDS

echo "building local-cloud and the functions (./mvnw -B package -DskipTests; a first build downloads dependencies)"
if ! "$mvnw" -B package -DskipTests 2>&1 | tee "$log" | awk '
    /^\[INFO\] Downloaded from / { if (++downloaded % 50 == 0) { printf "  %d dependencies downloaded\n", downloaded; fflush() } next }
    /^\[INFO\] Building .*\[[0-9]+\/[0-9]+\]$/ { sub(/^\[INFO\] /, ""); gsub(/  +/, " "); printf "  %s\n", $0; fflush(); next }
    /^\[(ERROR|FATAL)\]/ { print; fflush() }'; then
    echo "the build failed after $((SECONDS - started)) s; the full log is in $log" >&2
    exit 1
fi
rm -f "$log"
echo "built in $((SECONDS - started)) s; starting local-cloud"
exec "$java" -jar local-cloud/target/local-cloud.jar "$@"
