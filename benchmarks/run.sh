#!/usr/bin/env bash
# Builds and runs every benchmark, then prints the results table (about 8 minutes on 2 cores).
#   benchmarks/run.sh                       everything
#   benchmarks/run.sh RoundTripBenchmark    only benchmarks matching a JMH regexp
# Environment: SKIP_BUILD=1 reuses target/benchmarks.jar; JMH_OPTS overrides the JMH settings.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/target/results"
jar="$here/target/benchmarks.jar"
spec="$root/spec/openapi.yaml"
# Iterations, times and forks come from each class's @Warmup/@Measurement/@Fork; JMH_OPTS adds to them.
JMH_OPTS=${JMH_OPTS:-}
# The loopback server sends header names in the service's exact case (see LoopbackServer).
ADD_OPENS=--add-opens=jdk.httpserver/com.sun.net.httpserver=ALL-UNNAMED

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests)
fi
mkdir -p "$out"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "openssl: $(openssl version)"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "jmh: -bm avgt -tu us -t 1 -prof gc (warmup/measurement per class) $JMH_OPTS"
} | tee "$out/machine.txt"

echo "== smoke check (both sides sign, verify, and reject a wrong key)"
java -Dwechatpay.spec="$spec" "$ADD_OPENS" -cp "$jar" io.github.wechatpaypartner.benchmarks.SmokeCheck

echo "== openssl speed -seconds 3 rsa2048 (native floor)"
openssl speed -seconds 3 rsa2048 2>/dev/null | tee "$out/openssl-speed.txt" | tail -2

echo "== JMH"
rm -f "$out/server-allocations.tsv" "$out/results.json"
# Forks inherit these -D options (JMH reuses the host JVM's arguments).
# shellcheck disable=SC2086
java -Dwechatpay.spec="$spec" -Dbenchmarks.serverAllocations="$out/server-allocations.tsv" \
  -jar "$jar" $JMH_OPTS -bm avgt -tu us -t 1 -prof gc -rf json -rff "$out/results.json" \
  "${@:-FloorBenchmark|HooksBenchmark|RoundTripBenchmark}" | tee "$out/jmh.log"

echo "== results"
java -cp "$jar" io.github.wechatpaypartner.benchmarks.Report \
  "$out/results.json" "$out/openssl-speed.txt" "$out/server-allocations.tsv" | tee "$out/results.md"
