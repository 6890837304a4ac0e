#!/usr/bin/env bash
# The demo's body, on a kernel with user_events (the host or the guest): status, then the example app
# under the agent with its events recorded live, then the app's own summary.
set -euo pipefail
seconds=${1:-25}
agent=agent/target/userevents-agent.jar
out=${VM_OUT:-$(mktemp -d)}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "java -jar $agent status"
java -jar "$agent" status || true

say "java -javaagent:$agent -jar examples/target/order-service.jar   (in the background)"
java -javaagent:"$agent" -jar examples/target/order-service.jar 100000 250 >"$out/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT

say "java -jar $agent record --duration $seconds   (events of every user_event, live)"
java -jar "$agent" record --duration "$seconds" order_placed order_rejected OrderService_applyDiscount \
  payment_charged payment_charged_exit

say "the same events are plain kernel tracepoints: ls /sys/kernel/tracing/events/user_events/"
ls /sys/kernel/tracing/events/user_events/ | grep -v '^enable$\|^filter$' || true
kill "$app" 2>/dev/null || true
wait "$app" 2>/dev/null || true
say "the application's output (the agent logs one line at start)"
cat "$out/app.log"
