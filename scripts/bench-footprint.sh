#!/usr/bin/env bash
# Footprint benchmark (issue 15), ours through scripts/ip-masq-agent beside the original Go agent
# (../shared/reference/run-original, v2.12.6) in one run. Not a test. Everything runs in network
# namespaces made here and deleted on exit; the host's rules are never touched. Needs root.
#   1. daemon: process start to the POSTROUTING jump being in the kernel, median of RUNS (5),
#      fresh namespace each run, same poll (iptables -t nat -S POSTROUTING, every 10 ms) for all;
#   2. --sync-once wall time, median of RUNS: iptables and nftables with one CIDR, nftables with
#      10,000 CIDRs (ours only: the original has no one-shot mode);
#   3. resident memory (VmRSS) after IDLE (60) s idle, resyncInterval 60s, one CIDR, all variants
#      side by side at once, plus the CPU each used from 20 s to the end (idle cost).
# Variants: JDK 17, JDK 25, JDK 25 + the AOT cache (IPMASQ_JAVA and IPMASQ_AOT pick them).
# Machines here have 2 shared cores: compare figures from one run only.
set -euo pipefail
cd "$(dirname "$0")/.."
# The JVM agent unless told otherwise (IPMASQ_RUNTIME=native): a native build in target/ would
# otherwise be picked by the launcher; scripts/bench-as-deployed.sh compares the two.
export IPMASQ_RUNTIME=${IPMASQ_RUNTIME:-jvm}
export PATH="$PATH:/usr/sbin:/sbin"
RUNS=${RUNS:-5}
IDLE=${IDLE:-60}
JDK17=${JDK17:-$(readlink -f "$(command -v java)")}
JDK25=${JDK25:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
ORIGINAL=${ORIGINAL:-../shared/reference/run-original}
[ -x "$ORIGINAL" ] || ORIGINAL=/work/shared/reference/run-original
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -DskipTests -DskipITs package
[ -n "$JDK25" ] || { echo "no JDK 25 under /usr/lib/jvm: set JDK25=/path/to/bin/java" >&2; exit 2; }
[ -f target/quarkus-app/ip-masq-agent.aot ] && [ -f target/quarkus-app/ip-masq-agent-oneshot.aot ] || scripts/make-aot-cache.sh

tag=$$; tmp=$(mktemp -d); pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for ns in $(ip netns list | awk '{print $1}' | grep "^ipm-fp-$tag-" || true); do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
newns() { NS="ipm-fp-$tag-$1"; ip netns add "$NS"; ip netns exec "$NS" ip link set lo up; }
now_ms() { date +%s%3N; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# a / b as "2.5x", or "-" when the original was not among the variants.
ratio() { if [ -n "$2" ] && [ "$2" != 0 ]; then awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}'; else echo -; fi; }

mkdir -p "$tmp/refcfg"
printf 'nonMasqueradeCIDRs: [10.0.0.0/8]\nresyncInterval: 60s\n' > "$tmp/refcfg/ip-masq-agent"
cfg1=$tmp/refcfg/ip-masq-agent
{ echo "cidrLimit: 10000"; echo "nonMasqueradeCIDRs:"
  for ((i = 0; i < 10000; i++)); do k=$((i * 2)); echo "  - 10.$((k / 256)).$((k % 256)).0/24"; done; } > "$tmp/cfg10k"

read -r -a variants <<< "${VARIANTS:-original jdk17 jdk25 jdk25-aot}"
SECTIONS=${SECTIONS:-1 2 3}
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Becomes (exec) one variant in namespace $2, so call it in a subshell or with &; the rest are
# the agent's flags (the original takes none: it reads $tmp/refcfg).
run_variant() {
  local v=$1 ns=$2; shift 2
  case $v in
    original) exec ip netns exec "$ns" "$ORIGINAL" "$tmp/refcfg" --logtostderr ;;
    jdk17) exec ip netns exec "$ns" env IPMASQ_JAVA="$JDK17" scripts/ip-masq-agent --config-source=file "$@" ;;
    jdk25) exec ip netns exec "$ns" env IPMASQ_JAVA="$JDK25" IPMASQ_AOT=off scripts/ip-masq-agent --config-source=file "$@" ;;
    jdk25-aot) exec ip netns exec "$ns" env IPMASQ_JAVA="$JDK25" scripts/ip-masq-agent --config-source=file "$@" ;;
  esac
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), $("$JDK17" -version 2>&1 | head -1), $("$JDK25" -version 2>&1 | head -1), original $(basename "$(readlink -f "$ORIGINAL")") v2.12.6"
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A start startcpu
if [[ " $SECTIONS " == *" 1 "* ]]; then
echo "== 1. daemon: process start to the POSTROUTING jump in the kernel, $RUNS runs each (interleaved)"
for i in $(seq 1 "$RUNS"); do
  for v in "${variants[@]}"; do
    newns "s$i-$v"; ns=$NS
    # The kernel tells when the jump lands (nft monitor, both agents write through nf_tables), so
    # nothing polls: a poll loop of `iptables -S` costs a core's worth of CPU on these 2 cores and
    # slows the agent it is timing, the slower one most.
    rm -f "$tmp/mon"; mkfifo "$tmp/mon"
    ip netns exec "$ns" nft monitor rules >"$tmp/mon" 2>/dev/null &
    mon=$!
    exec 3<"$tmp/mon"
    sleep 0.2
    t0=$EPOCHREALTIME
    run_variant "$v" "$ns" --config "$cfg1" >"$tmp/s.log" 2>&1 &
    pid=$!
    landed=
    while IFS= read -r -t 30 line <&3; do
      case $line in *"POSTROUTING"*"jump IP-MASQ-AGENT"*) landed=$EPOCHREALTIME; break ;; esac
    done
    [ -n "$landed" ] || { echo "$v: no jump within 30 s:"; cat "$tmp/s.log"; exit 1; }
    exec 3<&-; kill "$mon" 2>/dev/null; wait "$mon" 2>/dev/null || true
    start[$v]="${start[$v]:-} $(awk -v a="$t0" -v b="$landed" 'BEGIN { printf "%d", (b - a) * 1000 }')"
    startcpu[$v]="${startcpu[$v]:-} $(( $(ticks "$pid") * 1000 / hz ))"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    ip netns del "$ns"
  done
done
printf '%-10s %-30s %7s %7s   %s\n' variant "wall ms per run" median "x orig" "CPU ms to first sync (median)"
o=$(echo ${start[original]:-} | median)
for v in "${variants[@]}"; do
  m=$(echo ${start[$v]} | median)
  printf '%-10s %-30s %7s %7s   %s\n' "$v" "$(echo ${start[$v]})" "$m" "$(ratio "$m" "$o")" "$(echo ${startcpu[$v]} | median)"
done
fi

if [[ " $SECTIONS " == *" 2 "* ]]; then
echo "== 2. --sync-once wall time (ours), median of $RUNS, fresh namespace each run; CPU (median) includes its child processes"
printf '%-10s %-23s %-32s %8s %8s\n' variant case "wall ms per run" median "CPU ms"
for v in "${variants[@]}"; do
  [ "$v" != original ] || continue
  for c in "iptables 1" "nftables 1" "nftables 10000"; do
    set -- $c; runs=""; cpus=""
    for i in $(seq 1 "$RUNS"); do
      newns "o$i"; ns=$NS
      cfg=$cfg1; [ "$2" = 1 ] || cfg=$tmp/cfg10k
      t0=$(now_ms)
      # CPU of the JVM and the iptables/nft processes it ran (less sensitive to a loaded machine).
      /usr/bin/time -f '%U %S' -o "$tmp/cpu" bash -c "$(declare -f run_variant); $(declare -p tmp ORIGINAL JDK17 JDK25); run_variant \"\$@\"" _ \
        "$v" "$ns" --sync-once --backend="$1" --config "$cfg" >"$tmp/o.log" 2>&1 \
        || { echo "$v $c failed:"; cat "$tmp/o.log"; exit 1; }
      runs="$runs $(( $(now_ms) - t0 ))"
      cpus="$cpus $(awk '{printf "%d", ($1 + $2) * 1000}' "$tmp/cpu")"
      ip netns del "$ns"
    done
    printf '%-10s %-23s %-32s %8s %8s\n' "$v" "$1, $2 CIDR(s)" "$(echo $runs)" "$(echo $runs | median)" "$(echo $cpus | median)"
  done
done

fi

if [[ " $SECTIONS " == *" 3 "* ]]; then
echo "== 3. VmRSS after $IDLE s idle from the first sync (resyncInterval 60s, one CIDR), all variants at once; CPU used from 20 s to the end"
declare -A vpid
for v in "${variants[@]}"; do
  newns "r-$v"; run_variant "$v" "$NS" --config "$cfg1" >"$tmp/r-$v.log" 2>&1 & vpid[$v]=$!; pids+=($!)
done
# The JVM's pid is the child of `ip netns exec` (and of the launcher's exec): find the leaf.
leaf() { local p=$1 c; while c=$(pgrep -P "$p" | head -1); [ -n "$c" ]; do p=$c; done; echo "$p"; }
# Idle time counts from the last variant's first sync, so a slow start is not counted as idle.
for v in "${variants[@]}"; do
  until ip netns exec "ipm-fp-$tag-r-$v" iptables -w -t nat -S POSTROUTING 2>/dev/null | grep -q IP-MASQ-AGENT; do sleep 0.1; done
done
sleep 20
declare -A t20 jpid
for v in "${variants[@]}"; do jpid[$v]=$(leaf "${vpid[$v]}"); t20[$v]=$(ticks "${jpid[$v]}"); done
sleep $((IDLE - 20))
printf '%-10s %10s %8s %22s\n' variant "RSS MiB" "x orig" "CPU ms in $((IDLE - 20)) s idle"
o=; [ -z "${jpid[original]:-}" ] || o=$(awk '/VmRSS/ {print $2}' "/proc/${jpid[original]}/status")
for v in "${variants[@]}"; do
  r=$(awk '/VmRSS/ {print $2}' "/proc/${jpid[$v]}/status")
  c=$(( ($(ticks "${jpid[$v]}") - t20[$v]) * 1000 / hz ))
  printf '%-10s %10.1f %8s %22s\n' "$v" "$(awk -v r="$r" 'BEGIN {print r / 1024}')" \
    "$(ratio "$r" "$o")" "$c"
done
fi
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
