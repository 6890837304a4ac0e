#!/usr/bin/env bash
# Usage: vm/run.sh [--live] -- COMMAND...
# Runs COMMAND in the user_events guest (see run-in-vm.sh) as root, cwd = the repo root, and exits with
# its status. Like ssh, the words of COMMAND are joined with spaces and run by bash, so pipes work:
#   vm/run.sh -- 'perf list "user_events:*" | head'
# The repo is the host's copy seen through an overlay: writes under it vanish when the guest stops.
# Files that must come back go to $VM_OUT, a fresh job directory under vm/out/ shared read-write
# (override its parent with VM_OUT_BASE). --live (or VM_LIVE=1) streams output while the guest runs;
# otherwise it is printed when the guest has finished.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
live=${VM_LIVE:-0}
while [ $# -gt 0 ]; do
  case "$1" in
    --live) live=1; shift;;
    --) shift; break;;
    *) break;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--live] -- COMMAND..." >&2; exit 2; }
base=${VM_OUT_BASE:-$repo/vm/out}
mkdir -p "$base"
job=$(mktemp -d "$base/run.XXXXXX")
{
  echo '#!/bin/bash'
  printf 'cd %q || exit 2\n' "$repo"
  printf 'export VM_OUT=%q\n' "$job"
  echo 'echo "guest kernel: $(uname -r)"'
  printf 'exec /bin/bash -c %q\n' "$*"
} >"$job/job.sh"
echo "vm/run.sh: job directory (VM_OUT) $job" >&2
rc=0
if [ "$live" = 1 ]; then
  "$here/run-in-vm.sh" --live "$job" || rc=$?
else
  "$here/run-in-vm.sh" "$job" || rc=$?
  cat "$job/job.log"
fi
exit "$rc"
