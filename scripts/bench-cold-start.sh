#!/usr/bin/env bash
# local-cloud's own start and the first calls through it, N runs (default 5) on fresh data folders, medians:
#   ready  — `java -jar local-cloud.jar` launched until its READY line (stand-ins up, both function jars loaded in
#            their class loaders, initializers run: configuration, SDK clients, tables checked)
#   login1 — READY until the first login's answer over the HTTP trigger (curl)
#   login2 — a warm login
#   db1    — the first db call (put) through @alicloud/fc2 (FC API) with the login's STS credentials
#   total  — launch until db1 answered (ready + login1 + login2 + db1 + the scripts' own glue)
# Side by side: BENCH_LC_BASELINE=DIR (holding an earlier build's local-cloud.jar, e.g. /tmp/base0-lc copied before
# a change) adds a row "lc0" run interleaved with "lc" in the same run against the same template.yml and function
# jars, so a noisy shared machine shows as noise in both. Usage: scripts/bench-cold-start.sh [RUNS=5].
# Needs a built jar (./mvnw -B -q package -DskipTests), curl, and node with client/node_modules
# (cd client && npm ci). Loopback only; every wait is bounded. Prints timings; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=local-cloud/target/local-cloud.jar
baseline=${BENCH_LC_BASELINE:-}
for j in "$jar" ${baseline:+"$baseline/local-cloud.jar"}; do
  [ -f "$j" ] || { echo "build first: ./mvnw -B -q package -DskipTests ($j missing)" >&2; exit 1; }
done
[ -d client/node_modules/@alicloud/fc2 ] || { echo "install the client first: (cd client && npm ci)" >&2; exit 1; }

ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# once NAME JAR I: one fresh local-cloud from JAR; appends "NAME ready login1 login2 db1 total" to the results
once() {
  local name=$1 lc=$2 i=$3 data t_start t_ready t0 t1 t2 t3 ready url login db
  data=$(mktemp -d -p "$work")
  t_start=$(date +%s%N)
  java -jar "$lc" --port 0 --data "$data" > "$data/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do grep -q '^READY ' "$data/out.log" && break; sleep 0.02; done
  t_ready=$(date +%s%N)
  grep -q '^READY ' "$data/out.log" || { echo "$name gave no READY in 24 s" >&2; cat "$data/out.log" >&2; exit 1; }
  ready=$(grep '^READY ' "$data/out.log" | head -1 | cut -c7-)
  url=$(sed 's/.*"sessionUrl":"\([^"]*\)".*/\1/' <<< "$ready")
  t0=$(date +%s%N); login=$(curl -s -m 30 -X POST -d "{\"authCode\":\"bench:$i-a\"}" "$url"); t1=$(date +%s%N)
  curl -s -m 30 -X POST -d "{\"authCode\":\"bench:$i-b\"}" "$url" > /dev/null; t2=$(date +%s%N)
  db=$(cd client && timeout 60 node --input-type=module -e '
    import FC from "@alicloud/fc2";
    const r = JSON.parse(process.argv[1]), l = JSON.parse(process.argv[2]);
    const fc = new FC(r.accountId, { accessKeyID: l.sts.AccessKeyId, accessKeySecret: l.sts.AccessKeySecret,
      securityToken: l.sts.SecurityToken, region: r.region, endpoint: r.endpoint });
    const t = process.hrtime.bigint();
    const a = await fc.invokeFunction(r.serviceName, r.dbFunctionName, JSON.stringify({ sid: l.sessionId, op: "put", obj: { id: "b" } }));
    if (JSON.stringify(a.data).includes("error")) throw new Error("db put failed: " + JSON.stringify(a.data));
    console.log(Number((process.hrtime.bigint() - t) / 1000000n));' "$ready" "$login") \
    || { echo "$name: db put failed (login answered: $login)" >&2; exit 1; }
  t3=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "$name $(ms "$t_start" "$t_ready") $(ms "$t0" "$t1") $(ms "$t1" "$t2") $db $(ms "$t_start" "$t3")" \
    | tee -a "$work/results"
}

echo "run: name ready login1 login2 db1 total (ms)"
for i in $(seq "$runs"); do
  [ -n "$baseline" ] && once lc0 "$baseline/local-cloud.jar" "$i-0"
  once lc "$jar" "$i"
done
echo
echo "medians of $runs runs (ms):"
printf '%-5s %7s %7s %7s %7s %7s\n' name ready login1 login2 db1 total
for name in ${baseline:+lc0} lc; do
  printf '%-5s' "$name"
  for col in 2 3 4 5 6; do printf ' %7s' "$(grep "^$name " "$work/results" | cut -d' ' -f$col | median)"; done
  echo
done
