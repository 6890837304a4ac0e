#!/usr/bin/env bash
# Usage: benchmarks/cputime/run.sh [--runs N] [--calls N] BUILD:JDK:MODE[:FLAGS]|floor ...
#
# Compares builds of the agent runtime by thread CPU time per call (CpuTimeLoop.java), which a busy machine
# skews far less than JMH's wall time. Runs every spec once per round, rounds alternating, each in a fresh JVM;
# prints per spec the median over rounds of each JVM's fastest and median round.
#   BUILD   a directory holding a snapshot of bootstrap/target/classes + agent/target/classes + native-shim/target/classes, made with
#           `benchmarks/cputime/run.sh --snapshot DIR` (after mvn package) so builds can be compared later
#   JDK     a JDK home
#   MODE    see CpuTimeLoop: empty, fixed, null, str0, str64, pwrite, pwriteAlone
#   FLAGS   extra JVM options, comma-separated (for example -XX:+UseSerialGC)
#   floor   the C floor (write_floor devnull): CPU time of the whole process (/usr/bin/time) per write
# The runtime classes go on the boot class path, as the agent defines them. On JDK 22+ an export to the boot
# loader's unnamed module is not granted by --add-exports ...=ALL-UNNAMED, so there the snapshot goes on the
# class path instead (same code; it matters only for which Unsafe NativeWords picks, printed as access=).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=6 calls=200000
if [ "${1:-}" = --snapshot ]; then
  dir=${2:?--snapshot DIR}; rm -rf "$dir"; mkdir -p "$dir"
  cp -r "$repo/bootstrap/target/classes/dev" "$repo/agent/target/classes/dev" "$repo/native-shim/target/classes/dev" "$dir/"
  echo "snapshot in $dir"; exit 0
fi
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2;;
    --calls) calls=$2; shift 2;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) break;;
  esac
done
jna=$(ls ~/.m2/repository/net/java/dev/jna/jna/*/jna-*.jar | sort -V | tail -1)
work=$(mktemp -d /tmp/cputime.XXXXXX); trap 'rm -rf "$work"' EXIT
gcc -O2 -pthread -o "$work/write_floor" "$repo/benchmarks/src/main/c/write_floor.c"
declare -A fast med
for round in $(seq "$runs"); do
  for spec in "$@"; do
    if [ "$spec" = floor ]; then
      /usr/bin/time -f '%U %S' -o "$work/time" "$work/write_floor" devnull --iterations 2000000 --warmup 1 --runs 1 >/dev/null
      value=$(awk '{printf "%.1f", ($1 + $2) * 1e9 / 2000001}' "$work/time"); fast[$spec]+=" $value"; med[$spec]+=" $value"; continue
    fi
    IFS=: read -r build jdk mode flags <<<"$spec"; IFS=, read -r -a extra <<<"${flags:-}"
    classes="$work/classes-$(echo "$jdk" | md5sum | cut -c1-8)"
    if [ ! -d "$classes" ]; then
      mkdir -p "$classes"; "$jdk/bin/javac" -d "$classes" -cp "$build:$jna" "$repo/benchmarks/cputime/CpuTimeLoop.java"
    fi
    feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ "${feature%%.*}" -ge 22 ]; then where=(-cp "$classes:$build:$jna"); else where=(-Xbootclasspath/a:"$build:$jna" -cp "$classes"); fi
    out=$("$jdk/bin/java" ${extra[@]+"${extra[@]}"} "${where[@]}" --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
      --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
      --enable-native-access=ALL-UNNAMED CpuTimeLoop "$mode" 9 "$calls" 20 2>/dev/null)
    fast[$spec]+=" $(sed 's/.*cpu_min=\([0-9.]*\).*/\1/' <<<"$out")"; med[$spec]+=" $(sed 's/.*cpu_median=\([0-9.]*\).*/\1/' <<<"$out")"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
for spec in "$@"; do
  echo "$spec: fastest round $(median <<<"${fast[$spec]}") ns (runs:${fast[$spec]}); median round $(median <<<"${med[$spec]}") ns"
done
