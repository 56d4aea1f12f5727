#!/usr/bin/env bash
# Adds the app function NAME: module functions/NAME (the function, its handler, its test on local-cloud's stand-ins),
# its service and function in template.yml, its resource in s.yaml, its role deploy/policies/NAME-role.json, NAME in
# the callable lists (the session function's CALLABLE_FUNCTIONS, the invoke role) and in the deployer's and setup's
# policies. A bad or taken name is refused with what to fix, and then nothing is changed. docs/functions.md says
# what to do next.
#   scripts/new-function.sh demo
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
    echo "new-function.sh needs Node.js 20 or later (the build needs it too); node is not on PATH" >&2
    exit 2
fi
exec node "$here/new-function.mjs" "$@"
