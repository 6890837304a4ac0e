#!/usr/bin/env bash
# THE test command: unit tests on the host, then the real-kernel tests in the QEMU guest.
#   bash scripts/test.sh [kernel-tests options, e.g. --module native-shim]
# Stage 1: `mvn -B verify` (tests tagged "kernel" are excluded by the root pom's surefire config).
# Stage 2: vm/kernel-tests.sh --skip-build (boots the user_events guest; see vm/README.md).
# Installs missing prerequisites (Maven, JDK 17, QEMU, perf) with apt-get on Debian.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=lib-prereqs.sh
. scripts/lib-prereqs.sh
prereqs_install

start=$SECONDS
echo "===== stage 1/2: unit tests on the host (mvn -B verify) ====="
mvn -B verify
echo "===== stage 1/2 passed ($((SECONDS - start)) s) ====="

start=$SECONDS
echo "===== stage 2/2: kernel tests in the QEMU guest (vm/kernel-tests.sh) ====="
rc=0
bash vm/kernel-tests.sh --skip-build --live "$@" || rc=$?
echo "===== stage 2/2 $([ "$rc" = 0 ] && echo passed || echo "FAILED ($rc)") ($((SECONDS - start)) s) ====="
exit "$rc"
