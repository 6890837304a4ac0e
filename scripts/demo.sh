#!/usr/bin/env bash
# THE demo: the example order service runs under the agent while `userevents-agent.jar record` enables
# its events and prints them live. Runs on this machine when its kernel has user_events, otherwise inside
# the project's QEMU guest kernel (vm/), and says which.
#   bash scripts/demo.sh [seconds]      (default 25 seconds of recording)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
seconds=${1:-25}
# shellcheck source=lib-prereqs.sh
. scripts/lib-prereqs.sh
prereqs_install

if [ ! -f agent/target/userevents-agent.jar ] || [ ! -f examples/target/order-service.jar ] \
   || [ -n "$(find api bootstrap native-shim agent examples -name '*.java' -newer agent/target/userevents-agent.jar -print -quit)" ]; then
  echo "demo: building the agent and the example (mvn -DskipTests install)..."
  mvn -B -q -DskipTests install
fi

if [ -w /sys/kernel/tracing/user_events_data ]; then
  echo "demo: this kernel ($(uname -r)) has user_events: running on this machine"
  exec bash scripts/demo-inside.sh "$seconds"
fi
echo "demo: this kernel ($(uname -r)) has no user_events (CONFIG_USER_EVENTS is not set, or tracefs is"
echo "      not writable here): running the demo inside the project's guest kernel under QEMU (vm/)."
echo "      The first run may build that kernel (about 20 minutes); later runs boot it in seconds."
exec bash vm/run.sh --live -- bash scripts/demo-inside.sh "$seconds"
