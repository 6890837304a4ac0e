#!/usr/bin/env bash
# Usage: vm/kernel-tests.sh [--module NAME]... [--tests PATTERN] [--skip-build] [--live] [--java PATH]
# The real-kernel test suite: JUnit tests and jqwik properties tagged "kernel", run inside the user_events guest
# (vm/run-in-vm.sh) with the JUnit Platform console launcher, one launcher JVM per module.
#   --module NAME   only this module (directory name; repeatable)
#   --tests PATTERN a class (dev.userevents.shim.FooTest), a method (dev.userevents.shim.FooTest#bar;
#                   a jqwik property with its parameter types: dev.userevents.shim.FooTest#bar(int)),
#                   a simple class name (FooTest) or a class-name regex (.*Registration.*)
#   --skip-build    no `mvn package` (scripts/test.sh runs `mvn verify` first); a quick
#                   `mvn test-compile` still runs, to write the classpaths
#   --live          stream the guest's output while it runs (also VM_LIVE=1)
#   --java PATH     java in the guest (default: `java` on PATH, JDK 17), e.g.
#                   /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
# KERNEL_TESTS_JVM_OPTS: extra options for the launcher JVMs (after the module's surefire argLine),
#   e.g. -XX:TieredStopAtLevel=1 (C1 only: about 10 s less per module under emulation).
# KERNEL_TESTS_SHARDS: guests run side by side for the full suite (default: the host's cores, at most 2;
#   a --tests selection always runs in one guest).
# Ends with "kernel tests: N passed, M failed[, K skipped]"; exits non-zero if a test failed, no kernel
# test ran, or a guest did not finish. Job directories (logs, XML reports): vm/out/kernel-tests.*/
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
junit_console_version=1.14.1
modules=() tests='' build=1 live=${VM_LIVE:-0} java_bin=java
while [ $# -gt 0 ]; do
  case "$1" in
    --module) modules+=("${2:?--module needs a name}"); shift 2;;
    --tests) tests=${2:?--tests needs a pattern}; shift 2;;
    --skip-build) build=0; shift;;
    --live) live=1; shift;;
    --java) java_bin=${2:?--java needs a path}; shift 2;;
    -h|--help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2;;
  esac
done
cd "$repo"
# shellcheck source=../scripts/lib-prereqs.sh
. scripts/lib-prereqs.sh
prereqs_install

# --- host: build, classpaths, surefire's JVM options, the console launcher ---------------------------
mvn_args=(-B -q -Dstyle.color=never)
[ ${#modules[@]} -eq 0 ] || mvn_args+=(-pl "$(IFS=,; echo "${modules[*]}")" -am)
# dependency:build-classpath must run in the same Maven session as a lifecycle phase, or Maven 3.8
# cannot resolve sibling modules (it would look for them in ~/.m2). test-compile is the cheapest one.
if [ "$build" = 1 ]; then phase=(-DskipTests package); else phase=(test-compile); fi
echo "== kernel-tests: host: mvn ${phase[*]} + test classpaths"
mvn "${mvn_args[@]}" "${phase[@]}" dependency:build-classpath \
  org.apache.maven.plugins:maven-help-plugin:3.5.1:effective-pom \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt -Doutput="$repo/target/effective-pom.xml"
launcher="$repo/target/kernel-tests/junit-platform-console-standalone-$junit_console_version.jar"
[ -f "$launcher" ] || mvn -B -q -N dependency:copy -DoutputDirectory="$repo/target/kernel-tests" \
  -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_console_version"

# what to select: a class or method goes to --select-*, only in the module that has it; else scan
select_args=(--scan-class-path target/test-classes)
class_file=''
if [[ "$tests" == *'#'* ]]; then
  select_args=(--select-method "$tests"); class_file="${tests%%#*}"
elif [[ "$tests" =~ ^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)+$ ]]; then
  select_args=(--select-class "$tests"); class_file="$tests"
elif [[ "$tests" =~ ^[A-Za-z_$][A-Za-z0-9_$]*$ ]]; then
  select_args+=(--include-classname "^(.*[.\$])?$tests\$")
elif [ -n "$tests" ]; then
  select_args+=(--include-classname "$tests")
fi
[ -z "$class_file" ] || class_file="target/test-classes/${class_file//.//}.class"

run_modules=()
if [ ${#modules[@]} -eq 0 ]; then
  for d in */target/test-classes; do [ -d "$d" ] && modules+=("${d%%/*}"); done
fi
for m in "${modules[@]}"; do
  [ -d "$m/target/test-classes" ] || { echo "   $m: no target/test-classes, skipped"; continue; }
  [ -z "$class_file" ] || [ -f "$m/$class_file" ] || continue
  run_modules+=("$m")
done
[ ${#run_modules[@]} -gt 0 ] || { echo "kernel-tests: no module with matching test classes" >&2; exit 1; }
java "$here/SurefireJvmArgs.java" "$repo/target/effective-pom.xml" "${run_modules[@]}"

# --- guest: one console launcher per module --------------------------------------------------------------
# The full suite is split into shards, one guest each, run side by side: each guest emulates on one host thread
# (single-threaded TCG), so a 2-core host runs two at once in about the time of one. Kernel test classes (those
# whose class file names @KernelTest) are dealt out in name order; a --tests selection runs in one guest.
shards=1
if [ -z "$tests" ]; then shards=${KERNEL_TESTS_SHARDS:-$(nproc)}; fi
[ "$shards" -ge 1 ] 2>/dev/null || shards=1
[ "$shards" -le 2 ] || shards=2
mkdir -p vm/out
jobs=()
for ((shard = 0; shard < shards; shard++)); do
  jobs+=("$(mktemp -d "$repo/vm/out/kernel-tests.XXXXXX")")
done
if [ "$shards" -gt 1 ]; then
  # Longest first, each to the shard with the least so far. Weights: vm/kernel-test-weights.txt (seconds a
  # class took in a guest; a class not listed counts as 60).
  weights="$here/kernel-test-weights.txt"
  declare -A load=()
  for ((shard = 0; shard < shards; shard++)); do load[$shard]=0; done
  while read -r weight m class; do
    best=0
    for ((shard = 1; shard < shards; shard++)); do
      [ "${load[$shard]}" -lt "${load[$best]}" ] && best=$shard
    done
    load[$best]=$((load[$best] + weight))
    echo "--select-class=$class" >>"${jobs[$best]}/select-$m.txt"
  done < <(for m in "${run_modules[@]}"; do
      (cd "$m/target/test-classes" && grep -rl --include='*.class' 'Ldev/userevents/testing/KernelTest;' . \
        | grep -v '\$' | sed 's|^\./||; s|\.class$||; s|/|.|g') | while read -r class; do
        w=$(awk -v c="${class##*.}" '$1 == c {print $2}' "$weights" 2>/dev/null)
        echo "${w:-60} $m $class"
      done
    done | sort -k1,1nr -k3,3)
  echo "   shards: $(for ((shard = 0; shard < shards; shard++)); do printf '%s s ' "${load[$shard]}"; done)(estimated)"
else
  for m in "${run_modules[@]}"; do printf '%s\n' "${select_args[@]}" >"${jobs[0]}/select-$m.txt"; done
fi
for job in "${jobs[@]}"; do
{
  echo '#!/bin/bash'
  echo 'set -u'
  jvm_opts=${KERNEL_TESTS_JVM_OPTS:-}
  declare -p repo job launcher java_bin jvm_opts run_modules
  cat <<'GUEST'
echo "guest kernel: $(uname -r)"
[ -e /sys/kernel/tracing/user_events_data ] || { echo "no /sys/kernel/tracing/user_events_data in the guest"; exit 3; }
echo "user_events: /sys/kernel/tracing/user_events_data present; PERF=${PERF:-}"
# the JDK's release file, not `java -version`: a JVM start costs seconds under emulation
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v "$java_bin")")")")
echo "java: $java_bin ($(grep -s '^JAVA_VERSION=' "$jdk/release" || echo "no $jdk/release"))"
for m in "${run_modules[@]}"; do
  [ -s "$job/select-$m.txt" ] || continue   # no class of this module in this shard
  mapfile -t select_args <"$job/select-$m.txt"
  echo "=== $m: kernel tests"
  cd "$repo/$m"   # cwd = module directory, as under surefire
  out="$job/reports/$m"
  mkdir -p "$out"
  jvm=()
  [ -s target/kernel-test-jvm.args ] && jvm=(@target/kernel-test-jvm.args)
  # shellcheck disable=SC2086 # KERNEL_TESTS_JVM_OPTS: words on purpose
  "$java_bin" "${jvm[@]}" $jvm_opts -Duserevents.repo="$repo" -Duserevents.vm.out="$job" -jar "$launcher" execute \
    --disable-banner --disable-ansi-colors --details=tree --include-tag kernel \
    --class-path "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    --reports-dir "$out" "${select_args[@]}" 2>&1 | tee "$out/launcher.out"
  echo "${PIPESTATUS[0]}" >"$out/launcher.exit"
done
GUEST
} >"$job/job.sh"
done

echo "== kernel-tests: guest: ${run_modules[*]} in $shards guest(s) (job directories ${jobs[*]})"
# What each guest's run-in-vm.sh would install or build, once, before they start side by side.
command -v qemu-system-x86_64 >/dev/null || prereqs_apt_install qemu-system-x86
command -v ip >/dev/null || prereqs_apt_install iproute2
"$here/build-kernel.sh" >/dev/null
start=$SECONDS
# The whole suite took about 15 minutes on a quiet 2-core machine and 30 on a busy one: give it an hour.
pids=()
for job in "${jobs[@]}"; do
  if [ "$live" = 1 ] && [ "$shards" = 1 ]; then
    VM_TIMEOUT=${VM_TIMEOUT:-3600} "$here/run-in-vm.sh" --live "$job" &
  else
    VM_TIMEOUT=${VM_TIMEOUT:-3600} "$here/run-in-vm.sh" "$job" >"$job/run-in-vm.out" 2>&1 &
  fi
  pids+=($!)
done
if [ "$live" = 1 ] && [ "$shards" -gt 1 ]; then
  for k in "${!jobs[@]}"; do
    tail -n +1 -F --pid="${pids[$k]}" "${jobs[$k]}/job.log" 2>/dev/null | sed -u "s|^|[shard $k] |" &
  done
fi
for pid in "${pids[@]}"; do wait "$pid" || true; done
elapsed=$((SECONDS - start))
for job in "${jobs[@]}"; do
  [ -f "$job/run-in-vm.out" ] && cat "$job/run-in-vm.out"
  if [ "$live" != 1 ] || [ "$shards" -gt 1 ]; then
    echo "== kernel-tests: guest log ($(basename "$job"))"
    cat "$job/job.log"
  fi
done

# --- host: results from the launchers' XML reports -------------------------------------------------
attr() { grep -o "$1=\"[0-9]*\"" <<<"$2" | head -n1 | tr -dc 0-9; }
passed=0 failed=0 skipped=0
echo "== kernel-tests: results (guest ran ${elapsed} s)"
for job in "${jobs[@]}"; do
for m in "${run_modules[@]}"; do
  [ -s "$job/select-$m.txt" ] || continue
  out="$job/reports/$m"
  t=0 f=0 s=0
  for x in "$out"/TEST-*.xml; do
    [ -f "$x" ] || continue
    suite=$(grep -o '<testsuite [^>]*>' "$x" | head -n1)
    t=$((t + $(attr tests "$suite"))); s=$((s + $(attr skipped "$suite")))
    f=$((f + $(attr failures "$suite") + $(attr errors "$suite")))
  done
  note=''
  rc=$(cat "$out/launcher.exit" 2>/dev/null || echo none)
  if [ "$rc" = none ]; then
    note=' (launcher did not finish)'
  elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    # the launcher failed but no test did (e.g. its JVM died): count one failure, never a success
    t=$((t + 1)) f=1 note=" (launcher exit status $rc)"
  fi
  printf '   %-12s %d passed, %d failed, %d skipped%s (%s)\n' "$m" $((t - f - s)) "$f" "$s" "$note" "$(basename "$job")"
  passed=$((passed + t - f - s)) failed=$((failed + f)) skipped=$((skipped + s))
done
done
status=0
for job in "${jobs[@]}"; do
  if [ ! -f "$job/job.exit" ]; then
    echo "kernel-tests: the guest did not finish (see $job/console.log)"; status=1
  elif [ "$(cat "$job/job.exit")" != 0 ] && [ "$failed" = 0 ]; then
    echo "kernel-tests: guest job exited with $(cat "$job/job.exit")"; status=1
  fi
done
[ $((passed + failed)) -gt 0 ] || { echo "kernel-tests: no kernel test ran"; status=1; }
[ "$failed" = 0 ] || status=1
if [ "$failed" != 0 ]; then
  # which ones, at the very end of the log: a CI log may be shown only by its tail
  for job in "${jobs[@]}"; do
    for m in "${run_modules[@]}"; do
      reports=("$job/reports/$m"/TEST-*.xml)
      [ -f "${reports[0]}" ] && java "$here/FailedTests.java" "${reports[@]}" || true
    done
  done
fi
line="kernel tests: $passed passed, $failed failed"
[ "$skipped" = 0 ] || line+=", $skipped skipped"
echo "$line"
exit "$status"
