#!/bin/bash
cd /work/main || exit 2
export VM_OUT=/work/main/benchmarks/results/jdk17/vm/run.orjk4W
echo "guest kernel: $(uname -r)"
exec /bin/bash -c bash\ benchmarks/run.sh\ --jdk\ /usr/lib/jvm/java-17-openjdk-amd64\ --in-guest\ /tmp/userevents-bench.b0HqP7\ \$VM_OUT
