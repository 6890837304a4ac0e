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
# Ends with "kernel tests: N passed, M failed[, K skipped]"; exits non-zero if a test failed, no kernel
# test ran, or the guest did not finish. Job directory (logs, XML reports): vm/out/kernel-tests.*/
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

# --- guest: one console launcher per module -----------------------------------------------------------
mkdir -p vm/out
job=$(mktemp -d "$repo/vm/out/kernel-tests.XXXXXX")
{
  echo '#!/bin/bash'
  echo 'set -u'
  jvm_opts=${KERNEL_TESTS_JVM_OPTS:-}
  declare -p repo job launcher java_bin jvm_opts run_modules select_args
  cat <<'GUEST'
echo "guest kernel: $(uname -r)"
[ -e /sys/kernel/tracing/user_events_data ] || { echo "no /sys/kernel/tracing/user_events_data in the guest"; exit 3; }
echo "user_events: /sys/kernel/tracing/user_events_data present; PERF=${PERF:-}"
# the JDK's release file, not `java -version`: a JVM start costs seconds under emulation
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v "$java_bin")")")")
echo "java: $java_bin ($(grep -s '^JAVA_VERSION=' "$jdk/release" || echo "no $jdk/release"))"
for m in "${run_modules[@]}"; do
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

echo "== kernel-tests: guest: ${run_modules[*]} (job directory $job)"
start=$SECONDS
vm_args=()
[ "$live" = 1 ] && vm_args=(--live)
# The whole suite took about 15 minutes on a quiet 2-core machine and 30 on a busy one: give it an hour.
VM_TIMEOUT=${VM_TIMEOUT:-3600} "$here/run-in-vm.sh" "${vm_args[@]}" "$job" || true
elapsed=$((SECONDS - start))
if [ "$live" != 1 ]; then
  echo "== kernel-tests: guest log"
  cat "$job/job.log"
fi

# --- host: results from the launchers' XML reports -------------------------------------------------
attr() { grep -o "$1=\"[0-9]*\"" <<<"$2" | head -n1 | tr -dc 0-9; }
passed=0 failed=0 skipped=0
echo "== kernel-tests: results (guest ran ${elapsed} s)"
for m in "${run_modules[@]}"; do
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
  printf '   %-12s %d passed, %d failed, %d skipped%s\n' "$m" $((t - f - s)) "$f" "$s" "$note"
  passed=$((passed + t - f - s)) failed=$((failed + f)) skipped=$((skipped + s))
done
status=0
if [ ! -f "$job/job.exit" ]; then
  echo "kernel-tests: the guest did not finish (see $job/console.log)"; status=1
elif [ "$(cat "$job/job.exit")" != 0 ] && [ "$failed" = 0 ]; then
  echo "kernel-tests: guest job exited with $(cat "$job/job.exit")"; status=1
fi
[ $((passed + failed)) -gt 0 ] || { echo "kernel-tests: no kernel test ran"; status=1; }
[ "$failed" = 0 ] || status=1
line="kernel tests: $passed passed, $failed failed"
[ "$skipped" = 0 ] || line+=", $skipped skipped"
echo "$line"
exit "$status"
