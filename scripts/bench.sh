#!/usr/bin/env bash
# Benchmarks (not tests): start-up to first sync, sync times, idle memory. Everything runs in
# network namespaces created here and deleted on exit. Needs root. Prints a table; the figures
# in docs/benchmarks.md come from this script. Machines here have 2 cores and are shared:
# expect run-to-run noise of 10-30%.
set -euo pipefail
cd "$(dirname "$0")/.."
# The JVM agent unless told otherwise (IPMASQ_RUNTIME=native): a native build in target/ would
# otherwise be picked by the launcher; scripts/bench-as-deployed.sh compares the two.
export IPMASQ_RUNTIME=${IPMASQ_RUNTIME:-jvm}
export PATH="$PATH:/usr/sbin:/sbin"
scripts/bench-prepare.sh

# The agent runs through its launcher (JVM, options and AOT cache are its choice); the footprint
# side by side with the original, per JDK, is scripts/bench-footprint.sh.
AGENT=scripts/ip-masq-agent
namespaces=()
cleanup() { for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done; }
trap cleanup EXIT
# Sets NS (not echoed: a $(...) subshell would lose the namespaces list the exit trap cleans up).
newns() { NS="ipm-bench-$$-$1"; ip netns add "$NS"; ip netns exec "$NS" ip link set lo up; namespaces+=("$NS"); }
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), launcher: $(IPMASQ_LAUNCHER_DEBUG=1 JAVA_OPTS=-version "$AGENT" 2>&1 | grep '^ip-masq-agent:' | cut -c1-200)"

echo "== 1. process start to first successful sync (--sync-once, fresh namespace each run), 5 runs"
runs=()
for i in 1 2 3 4 5; do
  newns "start$i"; ns=$NS
  t0=$(now_ms); ip netns exec "$ns" "$AGENT" --config-source=file --sync-once --config /nonexistent >/dev/null; t1=$(now_ms)
  runs+=($((t1 - t0)))
done
echo "runs ms: ${runs[*]}  median: $(printf '%s\n' "${runs[@]}" | median) ms"

echo "== 1b. daemon: process start to first sync logged (Quarkus boot included), 5 runs"
runs=()
for i in 1 2 3 4 5; do
  newns "daemon$i"; ns=$NS; log=$(mktemp)
  t0=$(now_ms)
  ip netns exec "$ns" "$AGENT" --config-source=file --config /nonexistent >"$log" 2>&1 &
  pid=$!
  until grep -q "POSTROUTING jump added" "$log"; do sleep 0.01; done
  t1=$(now_ms); kill "$pid"; wait "$pid" || true; rm -f "$log"
  runs+=($((t1 - t0)))
done
echo "runs ms: ${runs[*]}  median: $(printf '%s\n' "${runs[@]}" | median) ms"

echo "== 2. sync times against the kernel (iptables-nft), median wall and mean CPU of 41 rounds"
newns sync; ns=$NS
ip netns exec "$ns" java -XX:+UseSerialGC -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  org.ipmasq.agent.backend.iptables.SyncBench 3 64

echo "== 2b. ConfigMap update -> rules in the kernel (mock API server, real iptables in a namespace)"
java -XX:+UseSerialGC -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  org.ipmasq.agent.kernel.ConfigMapLatencyBench 100 2>/dev/null | grep -v "^[0-9-]*T"

echo "== 3. resident memory of the daemon after 30 s idle (resyncInterval 60s, 64 CIDRs)"
newns rss; ns=$NS; cfg=$(mktemp)
{ echo "nonMasqueradeCIDRs:"; for i in $(seq 0 63); do echo "  - 10.$i.0.0/16"; done; } > "$cfg"
ip netns exec "$ns" "$AGENT" --config-source=file --config "$cfg" >/dev/null 2>&1 &
pid=$!
sleep 30
echo "VmRSS after 30 s: $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)  (through $AGENT)"
kill "$pid"; wait "$pid" || true; rm -f "$cfg"

echo "== 4. drift repair time at resyncInterval 1s: chain deleted, time until it is back (10 runs)"
newns drift; ns=$NS; cfg=$(mktemp); echo "resyncInterval: 1s" > "$cfg"
ip netns exec "$ns" "$AGENT" --config-source=file --config "$cfg" >/dev/null 2>&1 &
pid=$!
until ip netns exec "$ns" iptables-save -t nat 2>/dev/null | grep -q '^-A POSTROUTING.*IP-MASQ-AGENT'; do sleep 0.05; done
runs=()
for i in $(seq 1 10); do
  jump=$(ip netns exec "$ns" iptables-save -t nat | grep '^-A POSTROUTING.*-j IP-MASQ-AGENT')
  printf '*nat\n%s\n-F IP-MASQ-AGENT\n-X IP-MASQ-AGENT\nCOMMIT\n' "-D${jump#-A}" | ip netns exec "$ns" iptables-restore --noflush
  t0=$(now_ms)
  until ip netns exec "$ns" iptables-save -t nat | grep -q '^-A POSTROUTING.*-j IP-MASQ-AGENT'; do sleep 0.01; done
  runs+=($(( $(now_ms) - t0 )))
  sleep 0.$((RANDOM % 9 + 1))
done
echo "repair ms: ${runs[*]}  median: $(printf '%s\n' "${runs[@]}" | median) ms (interval 1000 ms: expect 0-1000 plus a pass)"
kill "$pid"; wait "$pid" || true; rm -f "$cfg"
