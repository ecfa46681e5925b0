#!/usr/bin/env bash
# nftables vs iptables (issue 8). Benchmarks, not tests: everything runs in network namespaces
# created here and deleted on exit; the host's rules are never touched. Needs root.
#   1. sync time of both backends for 64, 1,000 and 10,000 CIDRs (full write, idle, one changed),
#      side by side in one JVM (org.ipmasq.agent.backend.nftables.BackendSyncBench);
#   2. new flows per second from pod to peer through the node, with 10 and 10,000 CIDRs, the
#      peer's range LAST in the list (so iptables walks every RETURN), for both backends,
#      interleaved over ROUNDS rounds (org.ipmasq.agent.kernel.ConnectRate).
# Machines here have 2 shared cores: compare figures from the same run only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}
scripts/install-deps.sh
[ -f target/quarkus-app/quarkus-run.jar ] && [ -f target/test-classes/org/ipmasq/agent/kernel/ConnectRate.class ] \
  || ./mvnw -B -q -DskipTests -DskipITs verify
[ -f target/bench-classpath.txt ] \
  || ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null

TAG=$$
tmp=$(mktemp -d)
# Every namespace of this run carries the prefix, so cleanup finds them all, including ones made in
# a command substitution's subshell (where appending to an array would be lost).
cleanup() {
  for ns in $(ip netns list | awk '{print $1}' | grep "^ipm-nftb-$TAG-" || true); do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
newns() { local ns="ipm-nftb-$TAG-$1"; ip netns add "$ns"; ip netns exec "$ns" ip link set lo up; echo "$ns"; }
agent() { local ns=$1; shift; ip netns exec "$ns" scripts/ip-masq-agent "$@" >/dev/null; }

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), $(nft --version), $(iptables --version), $(java -version 2>&1 | head -1)"
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== 1. sync time against the kernel (iptables-nft vs nftables), median wall, mean CPU incl. child processes"
ns=$(newns sync)
ip netns exec "$ns" java -XX:+UseSerialGC -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  org.ipmasq.agent.backend.nftables.BackendSyncBench 64 1000 10000

echo "== 2. new TCP flows per second, pod -> node -> peer, peer's range last in nonMasqueradeCIDRs"
pod=$(newns pod); node=$(newns node); peer=$(newns peer)
ip link add "pa$TAG" netns "$pod" type veth peer name "pb$TAG" netns "$node"
ip link add "qa$TAG" netns "$node" type veth peer name "qb$TAG" netns "$peer"
ip netns exec "$pod" ip addr add 10.244.1.2/24 dev "pa$TAG"
ip netns exec "$pod" ip link set "pa$TAG" up
ip netns exec "$pod" ip route add default via 10.244.1.1
ip netns exec "$node" ip addr add 10.244.1.1/24 dev "pb$TAG"
ip netns exec "$node" ip addr add 172.16.5.1/24 dev "qa$TAG"
ip netns exec "$node" ip link set "pb$TAG" up
ip netns exec "$node" ip link set "qa$TAG" up
ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$peer" ip addr add 172.16.5.2/24 dev "qb$TAG"
ip netns exec "$peer" ip link set "qb$TAG" up
ip netns exec "$peer" ip route add 10.244.1.0/24 via 172.16.5.1

# n-1 distinct, non-adjacent /24s in 10/8, then the peer's 172.16.5.0/24 as the last entry.
config() {
  local n=$1 f="$tmp/config-$1"
  { echo "cidrLimit: 10000"; echo "nonMasqueradeCIDRs:"
    for ((i = 0; i < n - 1; i++)); do k=$((i * 2)); echo "  - 10.$((k / 256)).$((k % 256)).0/24"; done
    echo "  - 172.16.5.0/24"; } > "$f"
  echo "$f"
}
declare -A cfg=([10]=$(config 10) [10000]=$(config 10000))

# Refused connections leave conntrack entries in CLOSE state; expire them after 1 s instead of 10 s
# so the namespace's table stays small (this sysctl is per namespace).
measure() {
  ip netns exec "$node" sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_close=1 2>/dev/null || true
  ip netns exec "$pod" java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp target/test-classes \
    org.ipmasq.agent.kernel.ConnectRate 172.16.5.2 9 1 "$SECONDS_PER_RUN" | cut -d' ' -f1
}
setup() {
  agent "$node" --cleanup --backend=iptables --iptables-mode=nft
  agent "$node" --cleanup --backend=nftables
  if [ "$1" != none ]; then agent "$node" --sync-once --backend="$1" --iptables-mode=nft --config "${cfg[$2]}"; fi
}

cases=("none 0" "iptables 10" "iptables 10000" "nftables 10" "nftables 10000")
declare -A results
for round in $(seq 1 "$ROUNDS"); do
  for c in "${cases[@]}"; do
    set -- $c
    setup "$1" "$2"
    results[$c]="${results[$c]:-} $(measure)"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-10s %6s  %-28s %8s\n' backend cidrs "flows/s per round" median
for c in "${cases[@]}"; do
  set -- $c
  printf '%-10s %6s  %-28s %8s\n' "$1" "$2" "$(echo ${results[$c]})" "$(echo ${results[$c]} | median)"
done
m() { echo ${results[$1]} | median; }
awk -v i10="$(m 'iptables 10')" -v i10k="$(m 'iptables 10000')" -v n10="$(m 'nftables 10')" -v n10k="$(m 'nftables 10000')" \
  'BEGIN { printf "10,000 vs 10 CIDRs: iptables keeps %.0f%% of its rate, nftables %.0f%%; at 10,000 nftables/iptables = %.1fx\n",
           100 * i10k / i10, 100 * n10k / n10, n10k / i10k }'
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
