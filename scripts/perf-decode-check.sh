#!/usr/bin/env bash
# Usage: scripts/perf-decode-check.sh [--java PATH] [--build] PERF_DECODE_BINARY
# Checks our format=eventheader events with Microsoft's own decoder, perf-decode (microsoft/LinuxTracepoints,
# libeventheader-decode-cpp/tools; build it outside this repo, see docs/NOTES.md "EventHeader").
#   1. In the user_events guest (vm/run-in-vm.sh, under `flock /tmp/guest.lock`): runs
#      com.example.safety.EventHeaderApp (agent test tree) with the shipped agent jar,
#      -javaagent:userevents-agent.jar=format=eventheader,provider=pdcheck,context=thread, and records its
#      events with `perf record --sample-identifier -e user_events:pdcheck_L5K1 -e ..._L4K1 -e ..._L5K2a`
#      (perf-decode needs the sample identifier to tell the three tracepoints apart).
#   2. On the host: `PERF_DECODE_BINARY perf.data` (JSON), then scripts/PerfDecodeCheck.java compares every
#      event with scripts/perf-decode-expected.txt: names in order, field names in order, exact values
#      (UTF-8 strings such as "who-é-29 🎉", a null string, exit events, floats, chars, level, keyword, pid).
#   --java PATH  java in the guest (default: `java` on PATH, JDK 17), e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
#   --build      `mvn -DskipTests package -pl agent -am` first even if the jar and test classes look current
#                (they are built anyway when missing or older than a source file)
# Output: the job directory vm/out/perf-decode.*/ (perf.data, perf-decode.json, app.out, job.log).
# Exits 0 when every event is as expected, 1 on a mismatch (each printed as MISMATCH ...), 2 on usage
# errors, 3 when the guest or the app failed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
java_bin=java build=0
while [ $# -gt 0 ]; do
  case "$1" in
    --java) java_bin=${2:?--java needs a path}; shift 2;;
    --build) build=1; shift;;
    -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0;;
    -*) echo "unknown option $1 (try --help)" >&2; exit 2;;
    *) break;;
  esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--java PATH] [--build] PERF_DECODE_BINARY" >&2; exit 2; }
decoder=$(readlink -f "$1")
[ -x "$decoder" ] || { echo "perf-decode-check: $1 is not an executable" >&2; exit 2; }
cd "$repo"
# shellcheck source=lib-prereqs.sh
. scripts/lib-prereqs.sh
prereqs_install

jar=agent/target/userevents-agent.jar
apps=agent/target/test-classes/com/example/safety
if [ "$build" = 1 ] || [ ! -f "$jar" ] || [ ! -f "$apps/EventHeaderApp.class" ] || [ ! -d api/target/classes ] \
   || [ -n "$(find api bootstrap native-shim agent/src -name '*.java' -newer "$jar" -print -quit)" ]; then
  echo "== perf-decode-check: host: mvn -DskipTests package -pl agent -am"
  mvn -B -q -Dstyle.color=never -DskipTests package -pl agent -am
fi

# The guest sees the host's / read-only and the job directory read-write: copies of the jar and classes
# there, so that a build on the host while the guest runs changes nothing under it.
mkdir -p vm/out
job=$(mktemp -d "$repo/vm/out/perf-decode.XXXXXX")
mkdir -p "$job/classes/apps/com/example" "$job/classes/api"
cp "$jar" "$job/userevents-agent.jar"
cp -r "$apps" "$job/classes/apps/com/example/"
cp -r api/target/classes/. "$job/classes/api/"
{
  echo '#!/bin/bash'
  echo 'set -euo pipefail'
  declare -p job java_bin
  cat <<'GUEST'
cd "$job"
perf=${PERF:-perf}
provider=pdcheck
tracepoints=("${provider}_L5K1" "${provider}_L4K1" "${provider}_L5K2a")
echo "guest kernel: $(uname -r); perf: $perf; java: $java_bin"
# FIFOs cannot live on the job directory's 9p share: they go to the guest's /tmp
fifos=$(mktemp -d)
mkfifo "$fifos/app.in" "$fifos/ctl" "$fifos/ack"
# wait_for LINE SECONDS: until the app printed LINE (it dies: fail at once)
wait_for() {
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    grep -qx "$1" app.out && return 0
    kill -0 "$app" 2>/dev/null || { echo "the app exited before printing '$1'"; cat app.out app.err; exit 3; }
    sleep 0.5
  done
  echo "the app did not print '$1' within $2 s"; cat app.out app.err; exit 3
}
"$java_bin" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  "-javaagent:$job/userevents-agent.jar=format=eventheader,provider=$provider,context=thread" \
  -cp "$job/classes/apps:$job/classes/api" com.example.safety.EventHeaderApp <"$fifos/app.in" >app.out 2>app.err &
app=$!
exec 3>"$fifos/app.in"   # the app's input: "go", then its end (fd 3 closed) lets the app exit
wait_for ready 300
java_tid=$(sed -n 's/^tid //p' app.out)
for t in "${tracepoints[@]}"; do
  [ -d "/sys/kernel/tracing/events/user_events/$t" ] \
    || { echo "no tracepoint $t in tracefs"; ls /sys/kernel/tracing/events/user_events; exit 3; }
done
# -D -1 --control: perf starts disabled and enables its events when told, after it has synthesized the
# system's processes (events written before would be lost; see docs/NOTES.md "EventHeader").
events=()
for t in "${tracepoints[@]}"; do events+=(-e "user_events:$t"); done
"$perf" record -a -D -1 --control "fifo:$fifos/ctl,$fifos/ack" --sample-identifier "${events[@]}" -o perf.data \
  -- sleep 600 >record.out 2>record.err &
perf_pid=$!
timeout 300 bash -c 'echo enable >"$1/ctl"; read -r answer <"$1/ack"; [ "$answer" = ack ]' _ "$fifos" \
  || { echo "perf record did not acknowledge 'enable'"; cat record.err; exit 3; }
echo go >&3
wait_for done 300
kill -INT "$perf_pid"
wait "$perf_pid" || true
exec 3>&-
rc=0
wait "$app" || rc=$?
echo "app exit status $rc"
echo "perf record: $(tr '\n' ' ' <record.err)"
grep -q Error record.err && { echo "perf record failed"; exit 3; }
[ "$rc" = 0 ] || { cat app.out app.err; exit 3; }
printf 'pid=%s\njava_tid=%s\n' "$app" "$java_tid" >ids
GUEST
} >"$job/job.sh"

echo "== perf-decode-check: guest (job directory $job; waiting for /tmp/guest.lock)"
rc=0
flock /tmp/guest.lock vm/run-in-vm.sh "$job" || rc=$?
cat "$job/job.log"
rm -rf "$job/classes" "$job/userevents-agent.jar"
[ "$rc" = 0 ] || { echo "perf-decode-check: the guest job failed ($rc)"; exit 3; }

echo "== perf-decode-check: host: $decoder perf.data"
drc=0
"$decoder" -o "$job/perf-decode.json" "$job/perf.data" 2>"$job/perf-decode.err" || drc=$?
if [ "$drc" != 0 ] || [ -s "$job/perf-decode.err" ]; then
  echo "MISMATCH perf-decode exited with $drc and said:"; cat "$job/perf-decode.err"; exit 1
fi
mapfile -t ids <"$job/ids"
java scripts/PerfDecodeCheck.java "$job/perf-decode.json" scripts/perf-decode-expected.txt "${ids[@]}"
