#!/usr/bin/env bash
# Usage: benchmarks/run.sh [--jdk PATH] [--quick] [--skip-build] [--host-only] [--no-wait]
#
# Runs every benchmark behind "disabled probes cost nothing, enabled probes cost the system call and
# little more", side by side, and writes the tables to benchmarks/RESULTS.md:
#   host  (any kernel)   disabled probes vs no agent, JFR, java.util.logging and a hand-written floor;
#                        enabled probes (mode=devnull) vs a C program writing the same payload to /dev/null;
#                        log bridges (Logback, Log4j 2, java.util.logging): a debug call below the level with
#                        no agent, mode=dry and logs=false; mode=devnull vs the framework's own formatting;
#                        one thread vs two; start-up with 100 and 1,000 probes (mode=dry)
#   guest (vm/run.sh)    enabled probes on real user_events vs the C program on user_events_data and an
#                        enabled JFR event; start-up with 1,000 real registrations
#
#   --jdk PATH     JDK whose java runs the benchmarks (default: the java on PATH); the build uses Maven's JDK
#   --quick        smoke run: short JMH settings, few repetitions; results go to benchmarks/target/quick/
#                  instead of benchmarks/results/ and RESULTS.md
#   --skip-build   use the jars already in agent/target and benchmarks/target
#   --host-only    leave out the guest
#   --no-wait      never wait for other processes to finish (see below)
#
# Other work on the machine skews every number here, so before each benchmark (and each start-up round,
# and the guest) the script waits until other processes have used less than BENCH_QUIET_CORES (default
# 0.25) cores for a few seconds, at most BENCH_WAIT_S (default 1200) seconds each time. How busy the rest
# of the machine was during each measurement is measured from /proc and reported beside it.
#
# Raw results (JMH CSV and logs, the C program's output, start-up timings, env.txt) are kept in
# benchmarks/results/jdk<N>/; RESULTS.md is rebuilt from every jdk<N>/section.md there plus
# benchmarks/results/analysis.md.
#
# The forks find the agent as agent/target/userevents-agent.jar relative to their working directory. JMH
# runs from a snapshot of the repo root's build outputs (/tmp/userevents-bench.*), so a concurrent rebuild
# of agent/target cannot swap or remove the agent in the middle of a run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

jdk='' quick=0 build=1 guest=1 wait_quiet=1 in_guest=''
command_line="benchmarks/run.sh${*:+ $*}"
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk=${2:?--jdk needs a path}; shift 2;;
    --quick) quick=1; shift;;
    --skip-build) build=0; shift;;
    --host-only) guest=0; shift;;
    --no-wait) wait_quiet=0; shift;;
    --in-guest) in_guest=${2:?}; guest_out=${3:?}; wait_quiet=0; shift 3;;  # internal: see run_in_guest
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
if [ -z "$jdk" ]; then
  jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
java="$jdk/bin/java"
[ -x "$java" ] || { echo "run.sh: no $java" >&2; exit 2; }

app=dev.userevents.benchmarks.startup.StartupApp
probe_package=dev.userevents.benchmarks.startup

if [ "$quick" = 1 ]; then
  jmh_host=(-f 1 -wi 1 -w 500ms -i 2 -r 500ms)
  jmh_disabled=("${jmh_host[@]}") jmh_scaling=("${jmh_host[@]}")
  jmh_logs_enabled=(-f 1 -wi 4 -w 500ms -i 2 -r 500ms)
  jmh_guest=(-f 1 -wi 1 -w 2s -i 1 -r 2s)
  floor_host=(--iterations 200000 --warmup 20000 --runs 3)
  floor_guest=(--iterations 20000 --warmup 2000 --runs 3)
  startup_runs_host=3 startup_runs_guest=1
else
  jmh_host=(-f 2 -wi 3 -w 1s -i 5 -r 1s)
  # Sub-nanosecond differences: most of the spread is between forks (code layout), so more forks.
  jmh_disabled=(-f 6 -wi 3 -w 1s -i 5 -r 1s)
  jmh_scaling=(-f 3 -wi 3 -w 1s -i 5 -r 1s)
  # The bridges' enabled paths (formatting, encoding, write()) take 3-5 s to reach steady state on 2 cores
  # (JUL's the longest): more warm-up than the probes'.
  jmh_logs_enabled=(-f 2 -wi 5 -w 1s -i 5 -r 1s)
  # Emulated JIT compilation is slow: the enabled paths reach steady state after about 10 s in the guest.
  jmh_guest=(-f 1 -wi 5 -w 2s -i 5 -r 2s)
  floor_host=(--iterations 2000000 --warmup 200000 --runs 9)
  floor_guest=(--iterations 200000 --warmup 20000 --runs 9)
  startup_runs_host=11 startup_runs_guest=3
fi

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

# --- CPU accounting: how much else runs beside us -----------------------------------------------------------
cores=$(nproc)
hz=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }   # user nice system irq softirq steal
total_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
own_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$$/stat"; }               # ours + reaped children's
# others_during COMMAND...: runs COMMAND; sets $others to the cores other processes kept busy meanwhile
# (the machine's busy time minus ours, averaged over the wall time) and returns COMMAND's status.
others_during() {
  local b0 t0 o0 b1 t1 o1 rc=0
  b0=$(busy_ticks) t0=$(total_ticks) o0=$(own_ticks)
  "$@" || rc=$?
  b1=$(busy_ticks) t1=$(total_ticks) o1=$(own_ticks)
  others=$(awk -v b=$((b1 - b0)) -v o=$((o1 - o0)) -v t=$((t1 - t0)) -v n="$cores" \
    'BEGIN {x = t ? (b - o) * n / t : 0; printf "%.2f", x < 0 ? 0 : x}')
  seconds=$(( (t1 - t0) / cores / hz ))
  return $rc
}
# wait_for_quiet WINDOW: returns once other processes used < BENCH_QUIET_CORES cores over WINDOW seconds
# (or after BENCH_WAIT_S seconds of waiting, saying so).
wait_for_quiet() {
  [ "$wait_quiet" = 1 ] || return 0
  local window=$1 quiet=${BENCH_QUIET_CORES:-0.25} deadline=$((SECONDS + ${BENCH_WAIT_S:-1200})) said=0
  while :; do
    others_during sleep "$window"
    awk -v b="$others" -v q="$quiet" 'BEGIN {exit !(b < q)}' && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "run.sh: other processes still use $others cores; measuring anyway" >&2
      break
    fi
    [ "$said" = 1 ] || echo "run.sh: waiting for a quiet machine: other processes use $others cores (want < $quiet)" >&2
    said=1
  done
}

# --- start-up: whole-process wall time of StartupApp, variants interleaved -------------------------------
# startup WORK MODE RUNS VARIANT...: prints key=value lines for ResultsReport
startup() {
  local work=$1 mode=$2 runs=$3; shift 3
  local variants=("$@")
  local cp="$work/startup/classes:$work/startup/api.jar"
  local agent="-javaagent:$work/agent/target/userevents-agent.jar=mode=$mode"
  local -A label=(
    [bare]="no+agent"
    [bare_1000_methods]="no+agent,+loads+the+1,000-method+class"
    [agent_no_probes]="agent+mode=$mode,+no+probes"
    [agent_100_probes]="agent+mode=$mode,+100+probes"
    [agent_1000_probes]="agent+mode=$mode,+1,000+probes"
    [agent_1000_exit_probes]="agent+mode=$mode,+1,000+probes+with+exit+events"
    [bare_5000_methods]="no+agent,+loads+the+5,000-method+class"
    [agent_5000_candidates]="agent+mode=$mode,+5,000+on-demand+candidates"
  )
  run_variant() {
    case "$1" in
      bare) "$java" -cp "$cp" "$app";;
      bare_1000_methods) "$java" -cp "$cp" "$app" "$probe_package.Probes1000";;
      agent_no_probes) "$java" "$agent" -cp "$cp" "$app";;
      agent_100_probes) "$java" "$agent" -cp "$cp" "$app" "$probe_package.Probes100";;
      agent_1000_probes) "$java" "$agent" -cp "$cp" "$app" "$probe_package.Probes1000";;
      agent_1000_exit_probes) "$java" "$agent" -cp "$cp" "$app" "$probe_package.ExitProbes1000";;
      bare_5000_methods) "$java" -cp "$cp" "$app" "$probe_package.Candidates5000";;
      agent_5000_candidates) "$java" "$agent,probes=$work/startup/candidates.txt" -cp "$cp" "$app" \
        "$probe_package.Candidates5000";;
    esac
  }
  # The checking run: every probe must be registered and woven, or the timings mean nothing.
  local log woven started
  log=$("$java" "$agent,log=debug" -cp "$cp" "$app" "$probe_package.Probes1000" 2>&1 || true)
  woven=$(grep -oE "weaving [0-9]+ (entry and [0-9]+ exit )?probe\(s\) into $probe_package.Probes1000" <<<"$log" \
    | grep -oE '[0-9]+' | head -1 || true)
  started=$(grep -m1 'INFO started' <<<"$log" | sed 's/^\[userevents\] INFO //; s/ /+/g' || true)
  weave_time=$(grep -m1 "woven $probe_package.Probes1000 in" <<<"$log" | grep -oE '[0-9]+ ms' | tr ' ' '+' || true)
  echo "runs=$runs probes_woven=${woven:-0} agent_says=${started:-nothing} weave_1000=${weave_time:-?}"
  if [ "${woven:-0}" != 1000 ]; then
    echo "run.sh: start-up check: expected 1000 probes woven, the agent said:" >&2
    grep '\[userevents\]' <<<"$log" | grep -v DEBUG | head -5 >&2
  fi
  local -A times=()
  local v r start end
  for v in "${variants[@]}"; do run_variant "$v" >/dev/null 2>&1; done  # page cache, CDS archive mapped
  for ((r = 0; r < runs; r++)); do
    wait_for_quiet 3
    for v in "${variants[@]}"; do
      start=$(date +%s%N)
      run_variant "$v" >/dev/null 2>&1
      end=$(date +%s%N)
      times[$v]+="$(awk -v ns=$((end - start)) 'BEGIN {printf "%.1f", ns / 1e6}') "
    done
  done
  for v in "${variants[@]}"; do
    local list=${times[$v]% }
    echo "variant=$v label=${label[$v]} median_ms=$(tr ' ' '\n' <<<"$list" | median) runs_ms=${list// /,}"
  done
}

# --- the guest half: runs inside vm/run.sh, as root, on a kernel with user_events -------------------------
run_in_guest() {
  local work=$in_guest out=$guest_out
  cd "$work"
  echo "guest_kernel=$(uname -r)" >"$out/guest-env.txt"
  echo "guest: C floor on user_events_data and /dev/null" >&2
  ./write_floor user_events "${floor_guest[@]}" >"$out/floor-guest-user_events-1.txt"
  ./write_floor devnull "${floor_guest[@]}" >"$out/floor-guest-devnull-1.txt"
  # devnull here too: comparing its ratios with the host's shows how emulation distorts them.
  echo "guest: JMH enabled probes (user_events, /dev/null, JFR)" >&2
  "$java" -jar benchmarks.jar 'EnabledProbeBenchmark\.(noAgent|kernelDefault|kernelJna|kernelChannel|devnullDefault|jfrEnabled)$' \
    "${jmh_guest[@]}" -prof gc -rf csv -rff "$out/guest-enabled.csv" >"$out/guest-enabled.log" 2>&1 \
    || { echo "guest JMH failed: see guest-enabled.log" >&2; tail -20 "$out/guest-enabled.log" >&2; }
  echo "guest: start-up" >&2
  startup "$work" kernel "$startup_runs_guest" bare bare_1000_methods agent_no_probes agent_1000_probes \
    >"$out/startup-guest.txt"
}
if [ -n "$in_guest" ]; then
  run_in_guest
  exit 0
fi

# --- the host half ---------------------------------------------------------------------------------------
feature=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
if [ "$quick" = 1 ]; then
  results_root="$repo/benchmarks/target/quick"
else
  results_root="$repo/benchmarks/results"
fi
out="$results_root/jdk$feature"
rm -rf "$out"
mkdir -p "$out"

if [ "$build" = 1 ]; then
  echo "== build (mvn package: api, native-shim, agent, benchmarks)" >&2
  mvn -B -q -DskipTests package -pl agent,benchmarks -am >&2
fi

work=$(mktemp -d /tmp/userevents-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/agent/target" "$work/startup/src" "$work/startup/classes"
cp agent/target/userevents-agent.jar "$work/agent/target/"
cp benchmarks/target/benchmarks.jar "$work/"
mkdir -p "$work/benchmarks" && cp benchmarks/ondemand-probes.txt "$work/benchmarks/"
cp api/target/userevents-api-*.jar "$work/startup/api.jar"
gcc -O2 -Wall -Wextra -pthread -o "$work/write_floor" benchmarks/src/main/c/write_floor.c

# The start-up app and classes with 100 and 1,000 @Tracepoint methods (and 1,000 with exit events),
# compiled with the JDK under test.
for class in Probes100 Probes1000 ExitProbes1000; do
  count=${class//[!0-9]/} annotation='@Tracepoint'
  [ "$class" = ExitProbes1000 ] && annotation='@Tracepoint(exit = true)'
  {
    echo "package $probe_package;"
    echo "import dev.userevents.Tracepoint;"
    echo "/** Generated by benchmarks/run.sh: $count probes for the start-up measurement. */"
    echo "public final class $class {"
    for ((i = 0; i < count; i++)); do
      printf '    %s public static long p%04d(int id, long cents, String customer) { return id + cents + %d; }\n' \
        "$annotation" "$i" "$i"
    done
    echo "}"
  } >"$work/startup/src/$class.java"
done
# 5,000 methods without annotations, made on-demand candidates by one pattern line.
{
  echo "package $probe_package;"
  echo "/** Generated by benchmarks/run.sh: 5,000 on-demand candidates for the start-up and poll measurements. */"
  echo "public final class Candidates5000 {"
  for ((i = 0; i < 5000; i++)); do
    printf '    public static long c%04d(int id, long cents, String customer) { return id + cents + %d; }\n' "$i" "$i"
  done
  echo "}"
} >"$work/startup/src/Candidates5000.java"
echo "$probe_package.Candidates5000#*" >"$work/startup/candidates.txt"
"$jdk/bin/javac" --release 17 -parameters -cp "$work/startup/api.jar" -d "$work/startup/classes" \
  "$work"/startup/src/Probes*.java "$work"/startup/src/Candidates5000.java \
  benchmarks/src/main/java/dev/userevents/benchmarks/startup/StartupApp.java \
  benchmarks/src/main/java/dev/userevents/benchmarks/startup/PollCost.java

{
  echo "title=JDK $feature"
  echo "command=$command_line"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  dirty=$(git status --porcelain -- api native-shim agent benchmarks/src benchmarks/pom.xml | awk '{print $2}' | paste -sd' ' -)
  echo "git=commit $(git rev-parse --short HEAD)${dirty:+; built with uncommitted changes to $dirty}"
  echo "agent=userevents-agent.jar sha256 $(sha256sum "$work/agent/target/userevents-agent.jar" | cut -c1-16)"
  echo "jdk=$("$java" -version 2>&1 | sed -n 2p) ($jdk)"
  echo "host_kernel=$(uname -r)"
  echo "cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $cores cores"
  echo "cores=$cores"
  echo "jmh_host=${jmh_host[*]}"
  echo "jmh_disabled=${jmh_disabled[*]}"
  echo "jmh_scaling=${jmh_scaling[*]}"
  echo "jmh_logs_enabled=${jmh_logs_enabled[*]}"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg) (1/5/15-min load average at the start)"
} >"$out/env.txt"

# phase NAME COMMAND...: runs COMMAND; records in env.txt how busy other processes kept the machine.
# A failed phase is reported and recorded; the run goes on, and its table is left out of RESULTS.md.
phase() {
  local name=$1; shift
  echo "== $name ($(date +%T))" >&2
  others_during "$@" || { echo "run.sh: phase $name failed" >&2; echo "failed.$name=yes" >>"$out/env.txt"; }
  echo "other_cpu.$name=$others cores (of $cores) over $seconds s" >>"$out/env.txt"
}
# quietest OUTPUT COMMAND...: runs COMMAND (which writes OUTPUT) on a quiet machine; when other processes
# got busy meanwhile, runs it again (at most BENCH_ATTEMPTS times, default 3) and keeps the attempt they
# disturbed least. Sets $others to that attempt's figure.
quietest() {
  local output=$1; shift
  local attempt best='' best_others='' rc=1
  for ((attempt = 1; attempt <= ${BENCH_ATTEMPTS:-3}; attempt++)); do
    wait_for_quiet 5
    rm -f "$output"
    if others_during "$@" && [ -s "$output" ]; then
      rc=0
      if [ -z "$best" ] || awk -v a="$others" -v b="$best_others" 'BEGIN {exit !(a < b)}'; then
        best=$attempt best_others=$others
        mv "$output" "$output.best"
      fi
      [ "$wait_quiet" = 1 ] && awk -v b="$others" -v q="${BENCH_QUIET_CORES:-0.25}" 'BEGIN {exit !(b >= q)}' || break
      echo "run.sh: other processes used $others cores during $(basename "$output"); again" >&2
    fi
  done
  [ -n "$best" ] && mv "$output.best" "$output"
  others=${best_others:-?}
  return $rc
}
# jmh NAME REGEX ARGS...: each matching benchmark in a JMH run of its own (see quietest). Rows go to
# NAME.csv, output to NAME.log, and the other processes' cores during each to NAME.others.
jmh() {
  local name=$1 regex=$2; shift 2
  local benchmark failed=0 jmh_args=("$@")
  : >"$out/$name.log"; : >"$out/$name.others"; rm -f "$out/$name.csv"
  for benchmark in $("$java" -jar benchmarks.jar -l "$regex" | grep '^dev\.'); do
    quietest "$out/$name.part.csv" eval '"$java" -jar benchmarks.jar "${benchmark//./\\.}\$" "${jmh_args[@]}" -rf csv \
      -rff "$out/$name.part.csv" >>"$out/$name.log" 2>&1' \
      || { echo "run.sh: JMH $benchmark failed, see $out/$name.log" >&2; failed=1; }
    echo "$benchmark $others" >>"$out/$name.others"
    if [ -f "$out/$name.part.csv" ]; then
      if [ -f "$out/$name.csv" ]; then tail -n +2 "$out/$name.part.csv" >>"$out/$name.csv"; else cp "$out/$name.part.csv" "$out/$name.csv"; fi
      rm "$out/$name.part.csv"
    fi
  done
  return $failed
}
floors() {
  local threads file
  for threads in 1 2; do
    file="$out/floor-host-devnull-$threads.txt"
    quietest "$file" eval './write_floor devnull --threads $threads "${floor_host[@]}" >"$file"'
    echo "others=$others" >>"$file"
  done
}

# sink=auto writes through an FFM downcall from JDK 22 on, through the JDK's pwrite stub before that.
if [ "$feature" -ge 22 ]; then
  default_sink=downcall sink_benchmarks='SinkBenchmark'
else
  default_sink=pwrite sink_benchmarks='SinkBenchmark\.(jna|channel|pwrite|fileOutputStream)$'
fi
echo "default_sink=$default_sink" >>"$out/env.txt"

cd "$work"
phase host-disabled jmh host-disabled 'DisabledProbeBenchmark' "${jmh_disabled[@]}" -prof gc
phase host-enabled jmh host-enabled 'EnabledProbeBenchmark\.(noAgent|devnullDefault|devnullEventHeader|devnullCandidate|devnullThreadContext|devnullOtel|devnullThreadAndOtel|devnullStack(1|8|32)|devnullJna|devnullChannel|jfrEnabled)$' \
  "${jmh_host[@]}" -prof gc
phase host-sinks jmh host-sinks "$sink_benchmarks" "${jmh_host[@]}" -prof gc
# Sub-nanosecond differences again: the disabled log calls get the disabled probes' forks.
phase host-logs-disabled jmh host-logs-disabled 'LogBridgeDisabledBenchmark' "${jmh_disabled[@]}" -prof gc
phase host-logs-enabled jmh host-logs-enabled 'LogBridgeEnabledBenchmark' "${jmh_logs_enabled[@]}" -prof gc
phase host-floor floors
phase host-scaling jmh host-scaling 'ScalingBenchmark' "${jmh_scaling[@]}"
phase host-startup eval 'startup "$work" dry "$startup_runs_host" bare bare_1000_methods agent_no_probes agent_100_probes \
  agent_1000_probes agent_1000_exit_probes bare_5000_methods agent_5000_candidates >"$out/startup-host.txt"'
# The on-demand poll thread's CPU over 20 s with 5,000 candidates no tracer enabled (mode=dry).
phase host-poll eval '"$java" "-javaagent:$work/agent/target/userevents-agent.jar=mode=dry,logs=false,probes=$work/startup/candidates.txt" \
  -cp "$work/startup/classes:$work/startup/api.jar" dev.userevents.benchmarks.startup.PollCost \
  "$probe_package.Candidates5000" 20 >"$out/poll-host.txt"'
echo "host_bare_ms=$(awk '/variant=bare / {sub(/.*median_ms=/, ""); print $1}' "$out/startup-host.txt")" >>"$out/env.txt"
cd "$repo"

if [ "$guest" = 1 ]; then
  echo "jmh_guest=${jmh_guest[*]}" >>"$out/env.txt"
  mkdir -p "$out/vm"
  guest_args=(--jdk "$jdk")
  [ "$quick" = 1 ] && guest_args+=(--quick)
  guest_run() {
    wait_for_quiet 10
    VM_OUT_BASE="$out/vm" VM_TIMEOUT="${VM_TIMEOUT:-2400}" \
      bash vm/run.sh -- bash benchmarks/run.sh "${guest_args[@]}" --in-guest "$work" '$VM_OUT' >"$out/guest.log" 2>&1 \
      || { echo "run.sh: the guest run failed; see $out/guest.log" >&2; return 1; }
  }
  phase guest guest_run
  for job in "$out"/vm/run.*; do
    [ -d "$job" ] || continue
    cp "$job"/*.csv "$job"/*.txt "$job"/*.log "$out/" 2>/dev/null || true
  done
  rm -rf "$out/vm" "$out/job.log" "$out/console.log"
  [ -f "$out/guest-env.txt" ] && cat "$out/guest-env.txt" >>"$out/env.txt" && rm "$out/guest-env.txt"
fi

"$java" -cp "$work/benchmarks.jar" dev.userevents.benchmarks.report.ResultsReport "$out" >"$out/section.md"

# RESULTS.md: the analysis, then one section per JDK.
results_md="$results_root/../RESULTS.md"
[ "$quick" = 1 ] && results_md="$results_root/RESULTS.md"
{
  echo "# Benchmark results"
  echo
  echo "Written by \`benchmarks/run.sh\` (one section per JDK it was run with; raw results in"
  echo "\`benchmarks/results/jdk<N>/\`). Do not edit by hand: the commentary comes from \`benchmarks/results/analysis.md\`."
  echo
  [ -f "$repo/benchmarks/results/analysis.md" ] && cat "$repo/benchmarks/results/analysis.md" && echo
  for section in $(ls -d "$results_root"/jdk* | sort -V); do
    [ -f "$section/section.md" ] && cat "$section/section.md"
  done
} >"$results_md"
echo "run.sh: wrote $results_md" >&2
