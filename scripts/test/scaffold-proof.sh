#!/usr/bin/env bash
# The scaffold's full proof, by hand (not part of ./mvnw verify: it builds and verifies a whole second clone, about
# half an hour on 2 cores): a fresh clone of this repository, scripts/new-function.sh demo, ./mvnw -B -ntp verify,
# then scripts/local-cloud.sh, whose READY must list demo with its service, and a login plus client.call('demo',
# {x: 1}) answering the caller's uid, in Node and in the mini-program sandbox (dist/fc-miniapp.js), FC 2.0 and 3.0.
#   scripts/test/scaffold-proof.sh [DIR]     (DIR: where to clone, default a new temporary directory)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/scaffold-proof.XXXXXX")}
git clone -q "$repo" "$dir"
cd "$dir"
echo "== $(git log --oneline -1) in $dir"
scripts/new-function.sh demo
./mvnw -B -ntp verify
node scripts/test/scaffold-proof-call.mjs
