#!/usr/bin/env bash
# Writes a deployment's table declaration (DIR/tables.json; DIR defaults to the repository root) into DIR/template.yml
# (every DATA_TABLES, the tables and their search indexes, the db service's statement and DependsOn) and
# DIR/deploy/policies/db-role.json, and checks DIR/s.yaml reads tables.json itself. A bad declaration is refused
# naming the table and the problem, and then nothing is changed. --check writes nothing and exits 1 naming each
# file that differs (the build runs it). docs/deploy.md, "Tables".
#   scripts/tables.sh                      # the repository's deployment
#   scripts/tables.sh examples/guestbook   # the guestbook example
#   scripts/tables.sh --check [DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
    echo "tables.sh needs Node.js 20 or later (the build needs it too); node is not on PATH" >&2
    exit 2
fi
exec node "$here/tables.mjs" "$@"
