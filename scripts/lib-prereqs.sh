# shellcheck shell=bash
# Sourced, not run: functions that install what a fresh Debian machine lacks to build and test this
# project. Idempotent and silent when everything is already there. Needs root (or sudo) only when
# something is missing.

# prereqs_apt_install PKG...: installs those of the named Debian packages that are not installed.
# `apt-get update` runs at most once per process tree (the flag is exported to child scripts).
prereqs_apt_install() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  echo "prereqs: installing ${missing[*]}" >&2
  local log rc=0
  log=$(mktemp)
  if [ -z "${PREREQS_APT_UPDATED:-}" ]; then
    "${sudo[@]}" apt-get update -qq >"$log" 2>&1 || rc=$?
    export PREREQS_APT_UPDATED=1
  fi
  [ "$rc" -ne 0 ] || "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1 || rc=$?
  # dpkg is chatty even with -qq: show its output only when something went wrong
  [ "$rc" -eq 0 ] || { cat "$log" >&2; echo "prereqs: apt-get failed ($rc)" >&2; }
  rm -f "$log"
  return "$rc"
}

# prereqs_install: everything scripts/test.sh needs: Maven, a JDK 17, QEMU, perf and trace-cmd (for the
# guest, which sees the host's /), iproute2 (the guest brings up loopback with `ip`).
prereqs_install() {
  local pkgs=()
  command -v mvn >/dev/null || pkgs+=(maven)
  command -v javac >/dev/null || pkgs+=(openjdk-17-jdk-headless)
  command -v qemu-system-x86_64 >/dev/null || pkgs+=(qemu-system-x86)
  command -v ip >/dev/null || pkgs+=(iproute2)
  command -v trace-cmd >/dev/null || pkgs+=(trace-cmd)
  # Debian's linux-base may ship /usr/bin/perf as a wrapper script without any real perf behind it:
  # ask dpkg for the package rather than looking for the command.
  if command -v dpkg-query >/dev/null; then
    dpkg-query -W -f='${Status}' linux-perf 2>/dev/null | grep -q 'ok installed' || pkgs+=(linux-perf)
  else
    command -v perf >/dev/null || { echo "prereqs: no perf and no dpkg; install perf yourself" >&2; }
  fi
  [ ${#pkgs[@]} -eq 0 ] || prereqs_apt_install "${pkgs[@]}"
}
