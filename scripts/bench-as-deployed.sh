#!/usr/bin/env bash
# Benchmark (issue 23), not a test: each agent as a node runs it, beside the original v2.12.6 in
# one run (AsDeployedBench in the test sources says what is measured and how). Ours takes its
# ConfigMap from a fake API server over TLS with a service account, as in a pod; the original
# reads the kubelet's file, its only source. Needs root; everything runs in namespaces made and
# deleted here. The machines have 2 shared cores: compare figures from one run only.
#   VARIANTS="original jvm native" scripts/bench-as-deployed.sh
# native needs the executable a native build left in target/ (scripts/native-check.sh); the
# original needs its binary in $IPMASQ_ORIGINAL_DIR (../shared/reference/README.md), else it is
# left out with a note and no ratio is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"
scripts/bench-prepare.sh
ORIGINAL=${ORIGINAL:-../shared/reference/run-original}
read -r -a variants <<< "${VARIANTS:-original jvm}"
kept=()
for v in "${variants[@]}"; do
  case $v in
    original)
      if [ -x "${IPMASQ_ORIGINAL_DIR:-/opt/ip-masq-agent-original}/ip-masq-agent-v2.12.6" ]; then kept+=("$v")
      else echo "bench-as-deployed: the original is absent (no ip-masq-agent-v2.12.6 in \${IPMASQ_ORIGINAL_DIR:-/opt/ip-masq-agent-original}): left out, no ratios" >&2; fi ;;
    native)
      if ls target/ip-masq-agent-*-runner > /dev/null 2>&1; then kept+=("$v")
      else echo "bench-as-deployed: no native executable in target/ (scripts/native-check.sh builds one): left out" >&2; fi ;;
    *) kept+=("$v") ;;
  esac
done
[ -f target/quarkus-app/ip-masq-agent.aot ] || echo "bench-as-deployed: no AOT cache in target/quarkus-app: the JVM runs without one (./mvnw package makes it)" >&2
echo "date: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg), java for ours: $(IPMASQ_LAUNCHER_DEBUG=1 IPMASQ_RUNTIME=jvm scripts/ip-masq-agent --help 2>&1 >/dev/null | awk '{print $2}')"
java -XX:+UseSerialGC -Doriginal.runner="$ORIGINAL" -Dagent.jar=target/quarkus-app/quarkus-run.jar \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.ipmasq.agent.kernel.AsDeployedBench "${kept[@]}"
