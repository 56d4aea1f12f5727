#!/usr/bin/env bash
# Cold start of each function jar the way FC starts an instance (issue 11): per run, a fresh JVM whose class path is
# the jar alone plus scripts/bench/FcRunner (compiled here, kept out of the jars), pinned to CPU 0, -Xmx as a 512 MB
# instance; it constructs the deployed handler, runs the initializer, answers a first request (session: a login;
# db: a put with that login's session), then WARM more through the handler alone. A hello-world handler jar runs the
# same way in the same run, interleaved, as the floor. All against one local-cloud started here (temp --data, free
# port, loopback; its --fun-local files give each function its environment and execution key) and stopped at the end.
# The kit against a bare handler (issue 18): rows `checkin` (the check-in example's CheckinHandler on the function kit,
# examples/checkin/target/checkin-example.jar) and `bare` (scripts/bench/BareCheckinHandler: the same upstream work
# on the Tablestore SDK alone, compiled against that jar and run with it on its class path), each run's pair in
# alternating order, with the checkin function's environment and a user of its own per run whose first answer is that
# day's first check-in (session GetRow, row GetRow, PutRow); the warm requests check in again the same day (session
# GetRow, row GetRow). The warm comparison that counts is in one JVM: the checkin row's overhead part follows each
# of WARM more kit requests with one through the bare handler (scripts/bench/BareCheckinUpstream, a third user of the
# run), so kit and bare share JIT state, heap and load; the separate rows' warm figures differ by more than that
# between JVMs on a busy machine. local-cloud serves examples/checkin/template.yml for the whole run: the root template's session
# and db functions (same jars, same environment but for CALLABLE_FUNCTIONS naming the two app functions) plus those.
# Usage: scripts/bench-fc-cold-start.sh [RUNS=5] [WARM=200]. Experiments, not what FC does: extra JVM options in
# BENCH_JAVA_OPTS (e.g. -XX:TieredStopAtLevel=1); BENCH_CDS=1 first trains one AppCDS archive per jar (a discarded
# run with -XX:ArchiveClassesAtExit) and then runs every JVM with -XX:SharedArchiveFile.
# Side by side: BENCH_BASELINE=DIR (holding an earlier build's session-function.jar and db-function.jar, e.g. copied
# from main before a change) adds rows session0/db0 run interleaved with the others in the same run, with the same
# environment minus JAVA_TOOL_OPTIONS (the baseline as deployed before any JVM option was set), or with them when
# BENCH_BASELINE_JVM_OPTS=1.
# Warm handler overhead: after the WARM requests (and after cpuMs, classes and hwmKb are read), WARM more through the
# handler, each followed by the op's upstream round trips alone (scripts/bench/SessionUpstream: Alipay token
# exchange + STS AssumeRole + session PutRow; DbUpstream: session GetRow + row GetRow + PutRow), compiled against the
# function jar into a jar of their own; overhead = handler p50 (p99) - upstream-alone p50 (p99), in the same JVM.
# BENCH_CHECKIN_ONLY=1: only the floor and the checkin/bare pair each run (more runs in the same time).
# Needs ./mvnw -B -q package -DskipTests first, a JDK (javac) and taskset. Prints timings; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
warm=${2:-200}
xmx=${BENCH_XMX:-410m}   # assumption: FC gives the JVM about 80% of a 512 MB instance as heap
session_jar=session-function/target/session-function.jar
db_jar=db-function/target/db-function.jar
checkin_jar=examples/checkin/target/checkin-example.jar
template=examples/checkin/template.yml
baseline=${BENCH_BASELINE:-}
for jar in "$session_jar" "$db_jar" "$checkin_jar" local-cloud/target/local-cloud.jar ${baseline:+"$baseline/session-function.jar" "$baseline/db-function.jar"}; do
  [ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests ($jar missing)" >&2; exit 1; }
done
work=$(mktemp -d)
lc_pid=
cleanup() { [ -n "$lc_pid" ] && kill "$lc_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# the runner against the JDK alone; the floor against the session jar's own fc-java-core, shipped in its jar
mkdir -p "$work/runner" "$work/hello"
javac -d "$work/runner" --release 11 scripts/bench/FcRunner.java scripts/bench/FcContext.java
jar cf "$work/runner.jar" -C "$work/runner" .   # a jar, not a folder: AppCDS takes jars only
javac -d "$work/hello" --release 11 -cp "$session_jar" scripts/bench/HelloHandler.java
unzip -q -o "$session_jar" 'com/aliyun/fc/runtime/*' -d "$work/hello"
jar cf "$work/hello.jar" -C "$work/hello" .
# each op's upstream round trips alone, against the function jar's own classes (its own jar: out of the function's)
mkdir -p "$work/up-session" "$work/up-db"
javac -d "$work/up-session" --release 11 -cp "$session_jar" scripts/bench/SessionUpstream.java
javac -d "$work/up-db" --release 11 -cp "$db_jar" scripts/bench/DbUpstream.java
jar cf "$work/up-session.jar" -C "$work/up-session" .
jar cf "$work/up-db.jar" -C "$work/up-db" .
# the bare handler against the example jar's own SDK classes, in a jar of its own next to it on the class path
mkdir -p "$work/bare"
javac -d "$work/bare" --release 11 -cp "$checkin_jar" scripts/bench/BareCheckinHandler.java \
  scripts/bench/BareCheckinUpstream.java
jar cf "$work/bare.jar" -C "$work/bare" .

java -jar local-cloud/target/local-cloud.jar --port 0 --data "$work/data" --template "$template" \
  --fun-local "$work/fun" --fun-local-host 127.0.0.1 > "$work/lc.log" 2>&1 &
lc_pid=$!
for _ in $(seq 600); do grep -q '^READY ' "$work/lc.log" && break; sleep 0.05; done
grep -q '^READY ' "$work/lc.log" || { echo "local-cloud gave no READY in 30 s" >&2; cat "$work/lc.log" >&2; exit 1; }

# each function's environment as local-cloud serves it (template.override.yml), plus the execution key, account
# and region fun's profile gives it (.env)
function_env() {
  awk -v fn="    \"$1\":" '$0 == fn {on=1; next} /^    "/ {on=0} on && /^          "/ {
    gsub(/"/, ""); sub(/: /, "="); gsub(/^ +/, ""); print }' "$work/fun/template.override.yml"
  grep -E '^(ACCESS_KEY_ID|ACCESS_KEY_SECRET|SECURITY_TOKEN)=' "$work/fun/.env"
  sed -n 's/^ACCOUNT_ID=/FC_ACCOUNT_ID=/p; s/^REGION=/FC_REGION=/p' "$work/fun/.env"   # FC's runtime sets these
}
function_env session > "$work/session.env"
function_env db > "$work/db.env"
function_env checkin > "$work/checkin.env"
session_url=$(sed -n 's/^READY .*"sessionUrl":"\([^"]*\)".*/\1/p' "$work/lc.log" | head -1)
: > "$work/none.env"
# BENCH_BASELINE_JVM_OPTS=1 keeps them: a baseline that differs from the build in its code only (e.g. lazy vs eager clients)
if [ "${BENCH_BASELINE_JVM_OPTS:-}" = 1 ]; then
  cp "$work/session.env" "$work/session0.env"; cp "$work/db.env" "$work/db0.env"
else
  grep -v '^JAVA_TOOL_OPTIONS=' "$work/session.env" > "$work/session0.env" || true
  grep -v '^JAVA_TOOL_OPTIONS=' "$work/db.env" > "$work/db0.env" || true
fi
for fn in session db checkin; do
  grep -h '^JAVA_TOOL_OPTIONS=' "$work/$fn.env" | sed "s/^/$fn function runs with (from its environment): /" >&2 || true
done

# bench NAME ENVFILE JAR HANDLER FIRST WARM_EVENT [UPSTREAM_JAR UPSTREAM_CLASS]: appends NAME and the runner's RESULT (plus the whole JVM's wall ms)
bench() {
  local name=$1; shift
  run "$@" > "$work/line"
  echo "$(printf '%-7s' "$name") $(cat "$work/line")" | tee -a "$work/results"
}

run() {
  local start cds=() archive; archive="$work/$(basename "$2").jsa"
  if [ -n "${BENCH_CDS:-}" ]; then
    [ -f "$archive" ] && cds=(-XX:SharedArchiveFile="$archive") || cds=(-XX:ArchiveClassesAtExit="$archive")
  fi
  local envs; mapfile -t envs < "$1"   # one variable per line; values may hold spaces (JAVA_TOOL_OPTIONS)
  local up_cp= up=()
  if [ $# -ge 7 ] && [ "$warm" -gt 0 ]; then up_cp=":$6"; up=("$7"); fi
  start=$(date +%s%3N)
  env -i PATH="$PATH" "${envs[@]}" BENCH_SID="${sid:-}" timeout 300 taskset -c 0 java -Xmx"$xmx" \
    ${BENCH_JAVA_OPTS:-} "${cds[@]}" -cp "$work/runner.jar:$2$up_cp" FcRunner "$start" "$3" "$4" "$5" "$warm" "${up[@]}" \
    > "$work/out" 2> "$work/err" \
    || { echo "run of $3 failed:" >&2; tail -5 "$work/err" >&2; exit 1; }
  grep '^ANSWER ' "$work/out" | cut -c8- > "$work/answer"
  echo "$(grep '^RESULT ' "$work/out" | cut -c8-) wallMs=$(( $(date +%s%3N) - start ))"
}

# login NAME: a session id of a new login of user NAME, through the session function's HTTP trigger
login() {
  curl -sf -X POST -H 'content-type: application/json' -d "{\"authCode\":\"$1:bench\"}" "$session_url" \
    | sed -n 's/.*"sessionId":"\([^"]*\)".*/\1/p'
}

# checkin_pair RUN: the kit's checkin and the bare handler, each as a user not yet checked in today, the order
# alternating between runs so neither always runs on the other's page cache
checkin_pair() {
  local kit_sid bare_sid sid first
  kit_sid=$(login "ckkit$1"); bare_sid=$(login "ckbare$1"); sid=$(login "ckside$1")   # sid: BareCheckinUpstream's
  [ -n "$kit_sid" ] && [ -n "$bare_sid" ] && [ -n "$sid" ] || { echo "login for the check-in rows failed" >&2; exit 1; }
  for who in $([ $(( $1 % 2 )) = 1 ] && echo "kit bare" || echo "bare kit"); do
    if [ "$who" = kit ]; then
      bench checkin "$work/checkin.env" "$checkin_jar" com.fcminiapp.examples.checkin.CheckinHandler \
        "{\"sid\":\"$kit_sid\",\"input\":{}}" "{\"sid\":\"$kit_sid\",\"input\":{}}" "$work/bare.jar" BareCheckinUpstream
    else
      bench bare "$work/checkin.env" "$checkin_jar:$work/bare.jar" BareCheckinHandler \
        "{\"sid\":\"$bare_sid\",\"input\":{}}" "{\"sid\":\"$bare_sid\",\"input\":{}}"
    fi
    first=$(cat "$work/answer")
    [ "$first" = '{"data":{"checkedIn":true,"points":10}}' ] || { echo "$who check-in answered $first" >&2; exit 1; }
  done
}

for i in $(seq $([ -n "${BENCH_CDS:-}" ] && echo 0 || echo 1) "$runs"); do
  bench hello "$work/none.env" "$work/hello.jar" HelloHandler '{}' '{}'
  if [ -z "${BENCH_CHECKIN_ONLY:-}" ]; then
    if [ -n "$baseline" ]; then
      bench session0 "$work/session0.env" "$baseline/session-function.jar" com.fcminiapp.session.SessionHttpHandler \
        "{\"authCode\":\"bench:$i-first0\"}" "{\"authCode\":\"bench:$i-warm0-%n\"}"
    fi
    bench session "$work/session.env" "$session_jar" com.fcminiapp.session.SessionHttpHandler \
      "{\"authCode\":\"bench:$i-first\"}" "{\"authCode\":\"bench:$i-warm-%n\"}" "$work/up-session.jar" SessionUpstream
    sid=$(sed -n 's/.*"sessionId":"\([^"]*\)".*/\1/p' "$work/answer")
    [ -n "$sid" ] || { echo "login gave no session: $(cat "$work/answer")" >&2; exit 1; }
    bench db "$work/db.env" "$db_jar" com.fcminiapp.db.DbHandler \
      "{\"sid\":\"$sid\",\"op\":\"put\",\"obj\":{\"id\":\"bench-$i\",\"title\":\"first\"}}" \
      "{\"sid\":\"$sid\",\"op\":\"put\",\"obj\":{\"id\":\"bench-$i-%n\",\"title\":\"warm\"}}" \
      "$work/up-db.jar" DbUpstream
    if grep -q '"error"' "$work/answer"; then echo "db put failed: $(cat "$work/answer")" >&2; exit 1; fi
    if [ -n "$baseline" ]; then
      bench db0 "$work/db0.env" "$baseline/db-function.jar" com.fcminiapp.db.DbHandler \
        "{\"sid\":\"$sid\",\"op\":\"put\",\"obj\":{\"id\":\"bench0-$i\",\"title\":\"first\"}}" \
        "{\"sid\":\"$sid\",\"op\":\"put\",\"obj\":{\"id\":\"bench0-$i-%n\",\"title\":\"warm\"}}"
      if grep -q '"error"' "$work/answer"; then echo "baseline db put failed: $(cat "$work/answer")" >&2; exit 1; fi
    fi
  fi
  checkin_pair "$i"
  [ "$i" = 0 ] && : > "$work/results"   # run 0 only trained the CDS archives
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { grep "^$1 " "$work/results" | tr ' ' '\n' | sed -n "s/^$2=//p" | median; }
echo
echo "medians of $runs runs (ms; classes; KB; warm µs over $warm requests through the handler alone):"
printf '%-8s %8s %8s %8s %8s %8s %9s %9s %9s %7s\n' fn initMs firstMs wallMs cpuMs classes hwmKb warmP50us warmP99us xFloor
floor=$(field hello firstMs)
rows="session db"; [ -n "${BENCH_CHECKIN_ONLY:-}" ] && rows=
for fn in hello ${baseline:+session0} ${rows:+session} ${baseline:+db0} ${rows:+db} checkin bare; do
  first=$(field $fn firstMs)
  printf '%-8s %8s %8s %8s %8s %8s %9s %9s %9s %7s\n' $fn "$(field $fn initMs)" "$first" "$(field $fn wallMs)" \
    "$(field $fn cpuMs)" "$(field $fn classes)" "$(field $fn hwmKb)" "$(field $fn warmP50us)" \
    "$(field $fn warmP99us)" "$(awk -v a="$first" -v b="$floor" 'BEGIN {printf "%.1f", a / b}')"
done
[ -n "$rows" ] && echo
[ -n "$rows" ] && echo "warm handler overhead over its own upstream round trips (µs; medians of $runs runs; $warm more requests, each"
[ -n "$rows" ] && echo "followed by the same Alipay/STS/Tablestore calls alone with clients built like the function's):"
[ -n "$rows" ] && printf '%-8s %9s %9s %9s %9s %9s\n' fn handlerP50 upP50 upP99 overP50 overP99
for fn in $rows; do
  printf '%-8s %9s %9s %9s %9s %9s\n' $fn "$(field $fn handlerP50us)" "$(field $fn upP50us)" "$(field $fn upP99us)" \
    "$(field $fn overP50us)" "$(field $fn overP99us)"
done
echo
echo "the kit over a bare handler (checkin - bare; medians of $runs runs; cold = launch to first answer, the JVM start"
echo "included; warm = $warm same-day check-ins through the handler):"
printf '%-12s %9s %9s %9s %9s\n' '' checkin bare 'kit adds' '%'
kit_over() {   # kit bare: a row of the table
  printf '%-12s %9s %9s %9s %9s\n' "$1" "$2" "$3" $(( $2 - $3 )) \
    "$(awk -v a="$2" -v b="$3" 'BEGIN {printf "%+.1f", b ? 100 * (a - b) / b : 0}')"
}
for metric in initMs firstMs warmP50us warmP99us classes cpuMs; do
  kit_over $metric "$(field checkin $metric)" "$(field bare $metric)"
done
# the median of each run's own difference: the two JVMs of one run ran back to back, under the same load
values() { grep "^$1 " "$work/results" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
paired=$(paste <(values checkin firstMs) <(values bare firstMs) | awk '{print $1 - $2}' | median)
printf '%-12s %9s %9s %9s %9s\n' firstMsPaired '' '' "$paired" \
  "$(awk -v a="$paired" -v b="$(field bare firstMs)" 'BEGIN {printf "%+.1f", b ? 100 * a / b : 0}')"
if [ "$warm" -gt 0 ]; then
  echo "warm in one JVM, each kit request followed by a bare one (µs; the figure the 1 ms target is read on):"
  kit_over sameJvmP50us "$(field checkin handlerP50us)" "$(field checkin upP50us)"
  kit_over sameJvmP99us "$(field checkin handlerP99us)" "$(field checkin upP99us)"
fi
ls -l "$session_jar" "$db_jar" "$checkin_jar" ${baseline:+"$baseline/session-function.jar" "$baseline/db-function.jar"} | awk '{printf "%s %.1f MB\n", $NF, $5 / 1048576}'
if [ -d client/node_modules/@alicloud/fc2 ] && [ -z "${BENCH_SKIP_FC2:-}" ]; then
  timeout 300 node scripts/bench/warm-fc2.mjs "$(grep '^READY ' "$work/lc.log" | head -1 | cut -c7-)"
else
  echo "warm through local-cloud skipped (BENCH_SKIP_FC2 set, or no client/node_modules: ./mvnw package)"
fi
