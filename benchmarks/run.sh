#!/usr/bin/env bash
# Measures this SDK against the official one (see benchmarks/README.md). One command per measure:
#   benchmarks/run.sh                      build, smoke check, then sequential, throughput, coldstart, memory
#   benchmarks/run.sh sequential [k=v...]  interleaved rounds, one thread (Interleaved: rounds, calls, warmup, operation, clients)
#   benchmarks/run.sh throughput [k=v...]  interleaved rounds, 1/8/64 threads sharing one client (rounds, seconds, threads, ...)
#   benchmarks/run.sh coldstart [k=v...]   one fresh JVM per sample and client (ColdStart: samples, clients)
#   benchmarks/run.sh memory [k=v...]      one JVM per client after warm-up (samples, calls, clients)
#   benchmarks/run.sh jmh [REGEXP] [args]  JMH: floor, hooks, round trips, allocation (-prof gc), then the Report table
#   benchmarks/run.sh before               builds the baseline (BEFORE_COMMIT, default 8cff38d) for ours-before-* clients
# Environment: SKIP_BUILD=1 reuses the last build; JMH_OPTS adds JMH options. Results: benchmarks/target/results/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/target/results"
jar="$here/target/benchmarks.jar"
classpaths="$here/target/classpath"
java_opts=(-Dwechatpay.spec="$root/spec/openapi.yaml" -Dbenchmarks.classpaths="$classpaths")
command=${1:-all}
[ $# -gt 0 ] && shift

build() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$root" && mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests)
  fi
}

machine() {
  mkdir -p "$out"
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "java: $(java -version 2>&1 | head -2 | tail -1)"
    echo "openssl: $(openssl version 2>/dev/null || echo none)"
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "steal (cpu line of /proc/stat, jiffies since boot): $(awk '/^cpu /{print $9}' /proc/stat)"
  } | tee "$out/machine.txt"
}

smoke() {
  echo "== smoke check (both sides sign, verify, and reject a wrong key)"
  java "${java_opts[@]}" -cp "$jar" io.github.wechatpaypartner.benchmarks.SmokeCheck
}

run() { # class, then its arguments
  local class=$1
  shift
  (cd "$root" && java "${java_opts[@]}" -cp "$jar" "io.github.wechatpaypartner.benchmarks.$class" "$@" "out=$out")
}

before() {
  local commit=${BEFORE_COMMIT:-8cff38d}
  local src="$here/target/before/src"
  local plugin
  plugin="org.apache.maven.plugins:maven-dependency-plugin:$(sed -n 's:.*<maven-dependency-plugin.version>\(.*\)</maven-dependency-plugin.version>.*:\1:p' "$root/pom.xml")"
  echo "== baseline: our client at $commit, built in $src (package only, never installed)"
  rm -rf "$src"
  mkdir -p "$src" "$classpaths"
  git -C "$root" archive "$commit" | tar -x -C "$src"
  # The artifact users depended on at the baseline: wechatpay-partner-signing (signing-interceptor).
  (cd "$src" && mvn -B -q -pl signing-interceptor -am package -DskipTests \
    "$plugin:build-classpath" -Dmdep.outputFile=target/runtime.classpath -DincludeScope=runtime)
  local module_jar
  module_jar=$(ls "$src"/signing-interceptor/target/wechatpay-partner-signing-*.jar | grep -v -e '-tests' -e '-sources' | head -1)
  echo "$module_jar:$(cat "$src/signing-interceptor/target/runtime.classpath")" > "$classpaths/ours-before.txt"
  echo "wrote $classpaths/ours-before.txt ($(tr ':' '\n' < "$classpaths/ours-before.txt" | wc -l) jars, $commit)"
  # The baseline's entry point differs from today's: BeforeClient names it, compiled against its jars.
  build
  rm -rf "$here/target/before/classes"
  javac --release 11 -nowarn -d "$here/target/before/classes" \
    -cp "$here/target/classes:$(cat "$classpaths/ours-before.txt")" \
    "$here"/src/before/java/io/github/wechatpaypartner/benchmarks/*.java
  echo "compiled BeforeClient into $here/target/before/classes"
}

case "$command" in
  all)
    build; machine; smoke
    run Interleaved sequential "$@"
    run Interleaved throughput
    run ColdStart coldstart
    run ColdStart memory
    ;;
  sequential|throughput) build; machine; run Interleaved "$command" "$@" ;;
  coldstart|memory) build; machine; run ColdStart "$command" "$@" ;;
  before) before ;;
  jmh)
    build; machine; smoke
    echo "== openssl speed -seconds 3 rsa2048 (native floor)"
    openssl speed -seconds 3 rsa2048 2>/dev/null | tee "$out/openssl-speed.txt" | tail -2
    rm -f "$out/server-allocations.tsv" "$out/results.json"
    # Iterations, times and forks come from each class's annotations; forks inherit these -D options.
    # shellcheck disable=SC2086
    java "${java_opts[@]}" -Dbenchmarks.serverAllocations="$out/server-allocations.tsv" \
      -jar "$jar" ${JMH_OPTS:-} -bm avgt -tu us -t 1 -prof gc -rf json -rff "$out/results.json" \
      "${@:-FloorBenchmark|HooksBenchmark|RoundTripBenchmark}" | tee "$out/jmh.log"
    java -cp "$jar" io.github.wechatpaypartner.benchmarks.Report \
      "$out/results.json" "$out/openssl-speed.txt" "$out/server-allocations.tsv" | tee "$out/results.md"
    ;;
  *) echo "unknown command $command (see the top of $0)" >&2; exit 2 ;;
esac
