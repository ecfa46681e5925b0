#!/usr/bin/env bash
# Where the daemon's memory goes (issue 15): starts it through scripts/ip-masq-agent in a network
# namespace of its own (one CIDR, resyncInterval 60s), waits for its first sync and then IDLE seconds, prints VmRSS (without
# NMT), then again with Native Memory Tracking: the NMT summary, loaded classes by top-level
# package, and threads. Not a test; needs root. The host's rules are never touched.
#   IPMASQ_JAVA=/path/to/java  JAVA_OPTS=...  scripts/footprint-breakdown.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# The JVM agent unless told otherwise (IPMASQ_RUNTIME=native): a native build in target/ would
# otherwise be picked by the launcher; scripts/bench-as-deployed.sh compares the two.
export IPMASQ_RUNTIME=${IPMASQ_RUNTIME:-jvm}
export PATH="$PATH:/usr/sbin:/sbin"
IDLE=${IDLE:-30}
tmp=$(mktemp -d); ns=ipm-fpb-$$
cleanup() { [ -z "${pid:-}" ] || kill "$pid" 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$ns"; ip netns exec "$ns" ip link set lo up
printf 'nonMasqueradeCIDRs: [10.0.0.0/8]\nresyncInterval: 60s\n' > "$tmp/config"
start() {
  ip netns exec "$ns" env JAVA_OPTS="${JAVA_OPTS:-} $1" scripts/ip-masq-agent --config-source=file --config "$tmp/config" >"$tmp/log" 2>&1 &
  pid=$!
  # The idle time counts from the first sync (a loaded machine can take seconds to get there).
  until ip netns exec "$ns" iptables -w -t nat -S POSTROUTING 2>/dev/null | grep -q IP-MASQ-AGENT; do sleep 0.1; done
  sleep "$IDLE"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

start ""
echo "VmRSS after $IDLE s: $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)" \
  "(anon $(awk '/RssAnon/ {printf "%.1f", $2/1024}' /proc/$pid/status), file $(awk '/RssFile/ {printf "%.1f", $2/1024}' /proc/$pid/status) MiB)," \
  "threads $(ls /proc/$pid/task | wc -l)"
java=$(readlink -f /proc/$pid/exe)
stop

start "-XX:NativeMemoryTracking=summary"
jcmd=$(dirname "$java")/jcmd
echo "== NMT (committed, KiB), VmRSS with NMT on: $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)"
"$jcmd" "$pid" VM.native_memory summary | grep -E '^(Total|-)' | sed -E 's/\(reserved=[0-9]+KB, //; s/\)$//'
echo "== loaded classes by package prefix (top 15 of the first two or three name parts)"
"$jcmd" "$pid" VM.class_hierarchy > "$tmp/classes" 2>/dev/null || true
grep -oE '[A-Za-z_][A-Za-z0-9_$.]*/' "$tmp/classes" | sed 's#/$##' > "$tmp/names" || true
sed -E 's/^((io|org|com|net)\.[^.]+\.[^.]+|[^.]+\.[^.]+)\..*/\1/' "$tmp/names" | sort | uniq -c | sort -rn | head -15 || true
echo "total loaded classes: $(wc -l < "$tmp/names"); fabric8 $(grep -c '^io\.fabric8\.' "$tmp/names" || true)"
echo "== threads"
"$jcmd" "$pid" Thread.print | grep -oE '^"[^"]+' | sed -E 's/^"//; s/[-#]?[0-9]+$//' | sort | uniq -c | sort -rn || true
stop
