#!/usr/bin/env bash
# Usage: vm/run-in-vm.sh [--live] JOBDIR
# Boots the user_events guest kernel under QEMU (software emulation, no KVM needed) with the host's /
# shared read-only (writable in the guest through an overlay whose writes vanish) and JOBDIR shared
# read-write at the same path, runs JOBDIR/job.sh there with bash as root, and exits with its status
# (3 if the guest did not finish, e.g. VM_TIMEOUT hit or kernel panic).
# Output: JOBDIR/job.log (the job's stdout+stderr), JOBDIR/console.log (guest console, QEMU errors).
# --live or VM_LIVE=1: also stream job.log to stdout while the guest runs.
# Knobs: VM_CPU (max), VM_ACCEL (tcg,thread=single), VM_MEM (MiB, 4096), VM_SMP (2),
#        VM_TIMEOUT (seconds, 1800), USEREVENTS_KERNEL_CACHE (see build-kernel.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
live=${VM_LIVE:-0}
[ "${1:-}" = --live ] && { live=1; shift; }
[ $# -eq 1 ] || { echo "usage: $0 [--live] JOBDIR" >&2; exit 2; }
job=$(cd "$1" && pwd)
[ -f "$job/job.sh" ] || { echo "no $job/job.sh" >&2; exit 2; }
case "$job" in *[[:space:]]*) echo "JOBDIR must not contain spaces (it goes on the kernel command line)" >&2; exit 2;; esac

# shellcheck source=../scripts/lib-prereqs.sh
. "$here/../scripts/lib-prereqs.sh"
command -v qemu-system-x86_64 >/dev/null || prereqs_apt_install qemu-system-x86
command -v ip >/dev/null || prereqs_apt_install iproute2
kernel=$("$here/build-kernel.sh")

rm -f "$job/job.exit"
: >"$job/job.log"
# Single-threaded TCG on purpose: with multi-threaded TCG, JIT-heavy JVMs crash at random in the guest
# (SIGSEGV in freshly patched C1 code). See vm/README.md.
# stdin from /dev/null: QEMU then leaves the terminal alone and Ctrl-C still reaches this script.
timeout -k 10 "${VM_TIMEOUT:-1800}" qemu-system-x86_64 -M q35 -cpu "${VM_CPU:-max}" \
  -accel "${VM_ACCEL:-tcg,thread=single}" -m "${VM_MEM:-4096}" -smp "${VM_SMP:-2}" \
  -display none -monitor none -serial stdio -no-reboot -kernel "$kernel" \
  -append "console=ttyS0 root=root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144 ro init=$here/guest-init.sh USEREVENTS_JOB=$job panic=-1 quiet" \
  -fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=root,mount_tag=root \
  -fsdev local,id=job,path="$job",security_model=none \
  -device virtio-9p-pci,fsdev=job,mount_tag=job </dev/null >"$job/console.log" 2>&1 &
qpid=$! tpid=''
# Background jobs of a non-interactive shell ignore SIGINT: make sure QEMU dies with this script.
# (`timeout` passes the TERM on to QEMU.) Waiting with `wait`, not in the foreground, lets the
# traps run as soon as a signal arrives.
trap 'kill $qpid $tpid 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
if [ "$live" = 1 ]; then
  tail -n +1 -f --pid="$qpid" "$job/job.log" &   # ends within a second of QEMU
  tpid=$!
fi
qrc=0
wait "$qpid" || qrc=$?
[ -z "$tpid" ] || wait "$tpid" || true
trap - EXIT
if [ ! -f "$job/job.exit" ]; then
  if [ "$qrc" = 124 ]; then why="VM_TIMEOUT (${VM_TIMEOUT:-1800} s) hit"; else why="qemu exited with $qrc"; fi
  echo "guest did not finish ($why); last console lines from $job/console.log:" >&2
  tail -n 20 "$job/console.log" >&2
  exit 3
fi
exit "$(cat "$job/job.exit")"
