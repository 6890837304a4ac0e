#!/bin/sh
# PID 1 inside the guest (see run-in-vm.sh). The host's / arrives read-only over virtio-9p; an overlay
# with a tmpfs upper layer makes it writable (those writes vanish at power-off). The job folder is a
# second 9p share, read-write, mounted at its host path. $USEREVENTS_JOB comes from the kernel command
# line. Runs $USEREVENTS_JOB/job.sh with bash as root, output to job.log, status to job.exit.
set -e
mount -t tmpfs -o mode=0755 ovl /run
mkdir -p /run/up /run/work /run/root
mount -t overlay overlay -o lowerdir=/,upperdir=/run/up,workdir=/run/work /run/root
cd /run/root
mount -t proc proc proc
mount -t sysfs sys sys
mount -t devtmpfs dev dev
mkdir -p dev/pts dev/shm
mount -t devpts devpts dev/pts
mount -t tmpfs shm dev/shm
mount -t tmpfs tmp run
mount -t tracefs nodev sys/kernel/tracing
mount -t debugfs nodev sys/kernel/debug 2>/dev/null || true
mkdir -p ".$USEREVENTS_JOB"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 job ".$USEREVENTS_JOB"

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
# perf: Debian's /usr/bin/perf is either the real binary (bookworm's linux-perf) or linux-base's
# wrapper script that runs perf_<major.minor of uname -r>, which does not exist for the guest kernel.
# Export PERF = a real perf binary and, if needed, put it first on PATH (in the overlay) as `perf`.
PERF=
if [ "$(head -c4 usr/bin/perf 2>/dev/null | tail -c3)" = "ELF" ]; then
  PERF=/usr/bin/perf
else
  p=$(ls -d usr/bin/perf_[0-9]* 2>/dev/null | sort -V | tail -n1)
  if [ -n "$p" ]; then PERF="/$p"; mkdir -p usr/local/bin; ln -sf "$PERF" usr/local/bin/perf; fi
fi
export PERF

# Name resolution without a network: the guest's hostname must resolve from /etc/hosts, and DNS must
# fail at once, or every InetAddress.getLocalHost() (JUnit's XML reports, JMX, ...) waits for the
# host's nameserver to time out (about 25 s each).
echo userevents-vm > proc/sys/kernel/hostname
echo '127.0.1.1 userevents-vm' >> etc/hosts
: > etc/resolv.conf
# loopback up: JMH forks, JDWP and anything else that talks to localhost need it
chroot /run/root ip link set lo up 2>/dev/null || chroot /run/root /sbin/ip link set lo up || true
chroot /run/root /bin/sh -c 'cd "$USEREVENTS_JOB" && /bin/bash ./job.sh > job.log 2>&1; echo $? > job.exit; sync' || true
echo o > proc/sysrq-trigger
# Power-off is asynchronous and tears down the 9p root: running `sleep` now would fail, init would exit
# and the kernel panic ("Attempted to kill init"). Wait with builtins only; bounded, in case the
# power-off fails (then init's exit panics the kernel and QEMU, run with -no-reboot, stops anyway).
i=0
while [ $i -lt 2000000 ]; do i=$((i + 1)); done
