#!/usr/bin/env bash
# Cold-start benchmark of the local backend, N runs (default 5) on fresh data folders:
#   ready  — JVM start until READY (both function jars loaded in their class loaders, initializers run:
#            configuration, SDK clients, tables created)
#   login1 — the first login over the HTTP trigger (Alipay, STS and Tablestore code paths loaded on first use)
#   login2 — a warm login
#   db1    — the first db call (put) through @alicloud/fc2 with the login's STS credentials
# Prints each run and the median of each column. Needs a built jar (./mvnw -B -q package -DskipTests),
# curl, and node with client/node_modules (cd client && npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=local-cloud/target/local-cloud.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
[ -d client/node_modules/@alicloud/fc2 ] || { echo "install the client first: (cd client && npm ci)" >&2; exit 1; }

ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

results=$(mktemp)
for i in $(seq "$runs"); do
  data=$(mktemp -d)
  t_start=$(date +%s%N)
  java -jar "$jar" --port 0 --data "$data" > "$data/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q '^READY ' "$data/out.log" && break; sleep 0.05; done
  t_ready=$(date +%s%N)
  ready=$(grep '^READY ' "$data/out.log" | head -1 | cut -c7-)
  url=$(node -e 'console.log(JSON.parse(process.argv[1]).sessionUrl)' "$ready")
  t0=$(date +%s%N); login=$(curl -s -X POST -d "{\"authCode\":\"bench:$i-a\"}" "$url"); t1=$(date +%s%N)
  curl -s -X POST -d "{\"authCode\":\"bench:$i-b\"}" "$url" > /dev/null; t2=$(date +%s%N)
  db=$(cd client && node --input-type=module -e '
    import FC from "@alicloud/fc2";
    const r = JSON.parse(process.argv[1]), l = JSON.parse(process.argv[2]);
    const fc = new FC(r.accountId, { accessKeyID: l.sts.AccessKeyId, accessKeySecret: l.sts.AccessKeySecret,
      securityToken: l.sts.SecurityToken, region: r.region, endpoint: r.endpoint });
    const t = process.hrtime.bigint();
    await fc.invokeFunction(r.serviceName, r.dbFunctionName, JSON.stringify({ sid: l.sessionId, op: "put", obj: { id: "b" } }));
    console.log(Number((process.hrtime.bigint() - t) / 1000000n));' "$ready" "$login")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  line="$(ms "$t_start" "$t_ready") $(ms "$t0" "$t1") $(ms "$t1" "$t2") $db"
  echo "$line" >> "$results"
  echo "run $i: ready $(echo "$line" | cut -d' ' -f1) ms, login1 $(echo "$line" | cut -d' ' -f2) ms, login2 $(echo "$line" | cut -d' ' -f3) ms, db1 $db ms"
done
echo "median: ready $(cut -d' ' -f1 "$results" | median) ms, login1 $(cut -d' ' -f2 "$results" | median) ms," \
  "login2 $(cut -d' ' -f3 "$results" | median) ms, db1 $(cut -d' ' -f4 "$results" | median) ms"
rm -f "$results"
