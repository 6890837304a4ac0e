#!/usr/bin/env bash
# Usage: benchmarks/run.sh [--jdk PATH] [--quick] [--skip-build] [--host-only] [--no-wait]
#
# Runs every benchmark behind "disabled probes cost nothing, enabled probes cost the system call and
# little more", side by side, and writes the tables to benchmarks/RESULTS.md:
#   host  (any kernel)   disabled probes vs no agent, JFR, java.util.logging and a hand-written floor;
#                        enabled probes (mode=devnull) vs a C program writing the same payload to /dev/null;
#                        one thread vs two; start-up with 1,000 probes (mode=dry)
#   guest (vm/run.sh)    enabled probes on real user_events vs the C program on user_events_data and an
#                        enabled JFR event; start-up with 1,000 real registrations
#
#   --jdk PATH     JDK whose java runs the benchmarks (default: the java on PATH); the build uses Maven's JDK
#   --quick        smoke run: short JMH settings, few repetitions; results go to benchmarks/target/quick/
#                  instead of benchmarks/results/ and RESULTS.md
#   --skip-build   use the jars already in agent/target and benchmarks/target
#   --host-only    leave out the guest
#   --no-wait      start at once instead of waiting (up to BENCH_WAIT_S, default 1200 s) for the machine to
#                  be quiet (other processes using less than BENCH_QUIET_CORES, default 0.25, cores)
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
    --in-guest) in_guest=${2:?}; guest_out=${3:?}; shift 3;;  # internal: the guest half, see run_in_guest
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
probe_class=dev.userevents.benchmarks.startup.Probes1000
probe_count=1000

if [ "$quick" = 1 ]; then
  jmh_host=(-f 1 -wi 1 -w 500ms -i 2 -r 500ms)
  jmh_guest=(-f 1 -wi 1 -w 2s -i 1 -r 2s)
  floor_host=(--iterations 200000 --warmup 20000 --runs 3)
  floor_guest=(--iterations 20000 --warmup 2000 --runs 3)
  startup_runs_host=3 startup_runs_guest=1
else
  jmh_host=(-f 2 -wi 3 -w 1s -i 5 -r 1s)
  # Emulated JIT compilation is slow: the enabled paths reach steady state after about 10 s in the guest.
  jmh_guest=(-f 1 -wi 5 -w 2s -i 5 -r 2s)
  floor_host=(--iterations 2000000 --warmup 200000 --runs 9)
  floor_guest=(--iterations 200000 --warmup 20000 --runs 9)
  startup_runs_host=11 startup_runs_guest=3
fi

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

# --- start-up: whole-process wall time of StartupApp, variants interleaved -------------------------------
# startup WORK MODE RUNS: prints key=value lines for ResultsReport
startup() {
  local work=$1 mode=$2 runs=$3
  local cp="$work/startup/classes:$work/startup/api.jar"
  local agent="-javaagent:$work/agent/target/userevents-agent.jar=mode=$mode"
  local -A label=(
    [bare]="no+agent"
    [bare_1000_methods]="no+agent,+loads+the+1,000-method+class"
    [agent_no_probes]="agent+mode=$mode,+no+probes"
    [agent_1000_probes]="agent+mode=$mode,+1,000+probes"
  )
  local variants=(bare bare_1000_methods agent_no_probes agent_1000_probes)
  run_variant() {
    case "$1" in
      bare) "$java" -cp "$cp" "$app";;
      bare_1000_methods) "$java" -cp "$cp" "$app" "$probe_class";;
      agent_no_probes) "$java" "$agent" -cp "$cp" "$app";;
      agent_1000_probes) "$java" "$agent" -cp "$cp" "$app" "$probe_class";;
    esac
  }
  # The checking run: every probe must be registered and woven, or the timings mean nothing.
  local log woven registered
  log=$("$java" "$agent,log=debug" -cp "$cp" "$app" "$probe_class" 2>&1 || true)
  woven=$(grep -o "weaving [0-9]* probe(s) into $probe_class" <<<"$log" | grep -o '[0-9]\+' | head -1 || true)
  registered=$(grep -c "DEBUG probe .*Probes1000_p" <<<"$log" || true)
  echo "runs=$runs probes_woven=${woven:-0} probes_registered=$registered"
  if [ "${woven:-0}" != "$probe_count" ]; then
    echo "run.sh: start-up check: expected $probe_count probes woven, agent said:" >&2
    grep '\[userevents\]' <<<"$log" | grep -v DEBUG | head -5 >&2
  fi
  local -A times=()
  local v r start end
  for v in "${variants[@]}"; do run_variant "$v" >/dev/null 2>&1; done  # page cache, CDS archive mapped
  for ((r = 0; r < runs; r++)); do
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
  "$java" -jar benchmarks.jar 'EnabledProbeBenchmark\.(noAgent|kernelJna|kernelChannel|devnullJna|devnullChannel|jfrEnabled)$' \
    "${jmh_guest[@]}" -prof gc -rf csv -rff "$out/guest-enabled.csv" >"$out/guest-jmh.log" 2>&1 \
    || { echo "guest JMH failed: see guest-jmh.log" >&2; tail -20 "$out/guest-jmh.log" >&2; }
  echo "guest: start-up" >&2
  startup "$work" kernel "$startup_runs_guest" >"$out/startup-guest.txt"
}
if [ -n "$in_guest" ]; then
  run_in_guest
  exit 0
fi

# --- CPU accounting: how much else ran beside us -----------------------------------------------------------
cores=$(nproc)
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }   # user nice system irq softirq steal
total_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
own_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$$/stat"; }               # ours + reaped children's
# Busy cores of other processes while this shell only sleeps: the quiet check.
busy_cores_now() {
  local b0 t0 b1 t1
  b0=$(busy_ticks) t0=$(total_ticks); sleep "${1:-10}"; b1=$(busy_ticks) t1=$(total_ticks)
  awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v n="$cores" 'BEGIN {printf "%.2f", t ? b * n / t : 0}'
}
# phase NAME COMMAND...: runs COMMAND, then records in env.txt the other processes' average busy cores.
# A failed phase is reported and recorded; the run goes on, and its table is left out of RESULTS.md.
phase() {
  local name=$1; shift
  local b0 t0 o0 b1 t1 o1
  echo "== $name ($(date +%T))" >&2
  b0=$(busy_ticks) t0=$(total_ticks) o0=$(own_ticks)
  "$@" || { echo "run.sh: phase $name failed" >&2; echo "failed.$name=yes" >>"$out/env.txt"; }
  b1=$(busy_ticks) t1=$(total_ticks) o1=$(own_ticks)
  echo "other_cpu.$name=$(awk -v b=$((b1 - b0)) -v o=$((o1 - o0)) -v t=$((t1 - t0)) -v n="$cores" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {x = t ? (b - o) * n / t : 0; if (x < 0) x = 0; printf "%.2f cores (of %d) over %.0f s", x, n, t / n / hz}')" >>"$out/env.txt"
}

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
cp api/target/userevents-api-*.jar "$work/startup/api.jar"
gcc -O2 -Wall -Wextra -pthread -o "$work/write_floor" benchmarks/src/main/c/write_floor.c

# The start-up app and a class with 1,000 @Tracepoint methods, compiled with the JDK under test.
{
  echo "package ${probe_class%.*};"
  echo "import dev.userevents.Tracepoint;"
  echo "/** Generated by benchmarks/run.sh: $probe_count probes for the start-up measurement. */"
  echo "public final class ${probe_class##*.} {"
  for ((i = 0; i < probe_count; i++)); do
    printf '    @Tracepoint public static long p%04d(int id, long cents, String customer) { return id + cents + %d; }\n' "$i" "$i"
  done
  echo "}"
} >"$work/startup/src/${probe_class##*.}.java"
"$jdk/bin/javac" -q --release 17 -parameters -cp "$work/startup/api.jar" -d "$work/startup/classes" \
  "$work/startup/src/${probe_class##*.}.java" benchmarks/src/main/java/dev/userevents/benchmarks/startup/StartupApp.java 2>/dev/null \
  || "$jdk/bin/javac" --release 17 -parameters -cp "$work/startup/api.jar" -d "$work/startup/classes" \
  "$work/startup/src/${probe_class##*.}.java" benchmarks/src/main/java/dev/userevents/benchmarks/startup/StartupApp.java

if [ "$wait_quiet" = 1 ]; then
  quiet=${BENCH_QUIET_CORES:-0.25} deadline=$((SECONDS + ${BENCH_WAIT_S:-1200}))
  while :; do
    busy=$(busy_cores_now 10)
    awk -v b="$busy" -v q="$quiet" 'BEGIN {exit !(b < q)}' && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "run.sh: still $busy cores busy with other work; running anyway (see the load in RESULTS.md)" >&2
      break
    fi
    echo "run.sh: waiting for a quiet machine: other processes use $busy cores (want < $quiet)" >&2
  done
fi

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
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg) (1/5/15-min load average); other processes busy: $(busy_cores_now 5) cores"
} >"$out/env.txt"

cd "$work"
jmh() { # jmh NAME REGEX ARGS...: one JMH run, results to NAME.csv and NAME.log
  local name=$1 regex=$2; shift 2
  "$java" -jar benchmarks.jar "$regex" "$@" -rf csv -rff "$out/$name.csv" >"$out/$name.log" 2>&1 \
    || { echo "run.sh: JMH $name failed, see $out/$name.log" >&2; tail -5 "$out/$name.log" >&2; return 1; }
}
phase host-disabled jmh host-disabled 'DisabledProbeBenchmark' "${jmh_host[@]}" -prof gc
phase host-enabled jmh host-enabled 'EnabledProbeBenchmark\.(noAgent|devnullJna|devnullChannel|jfrEnabled)$' \
  "${jmh_host[@]}" -prof gc
phase host-floor eval './write_floor devnull "${floor_host[@]}" >"$out/floor-host-devnull-1.txt" &&
  ./write_floor devnull --threads 2 "${floor_host[@]}" >"$out/floor-host-devnull-2.txt"'
phase host-scaling jmh host-scaling 'ScalingBenchmark' "${jmh_host[@]}"
phase host-startup eval 'startup "$work" dry "$startup_runs_host" >"$out/startup-host.txt"'
echo "host_bare_ms=$(awk '/variant=bare / {sub(/.*median_ms=/, ""); print $1}' "$out/startup-host.txt")" >>"$out/env.txt"
cd "$repo"

if [ "$guest" = 1 ]; then
  echo "jmh_guest=${jmh_guest[*]}" >>"$out/env.txt"
  mkdir -p "$out/vm"
  guest_args=(--jdk "$jdk")
  [ "$quick" = 1 ] && guest_args+=(--quick)
  guest_run() {
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
