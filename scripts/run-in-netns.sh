#!/usr/bin/env bash
# The agent's main job, safely: build it, create a network namespace of its own, run one sync
# there (default config unless you pass flags, e.g. --config FILE), and print the resulting
# chain the way the seed document shows `iptables -t nat -L IP-MASQ-AGENT`.
# Needs root (network namespaces); never touches the host's own rules.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"

scripts/install-deps.sh
[ -f target/quarkus-app/quarkus-run.jar ] && [ -z "${REBUILD:-}" ] || ./mvnw -B -q -DskipTests package

ns="ip-masq-demo-$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip netns exec "$ns" ip link set lo up

# Through the launcher, as everywhere: it picks the JVM, its options and the AOT cache.
ip netns exec "$ns" scripts/ip-masq-agent --sync-once --config-source=file \
  --config "${CONFIG:-/nonexistent/ip-masq-agent}" "$@"

echo "\$ iptables -t nat -L IP-MASQ-AGENT"
# -n avoids name lookups (and Debian's /etc/networks renaming 169.254.0.0 to link-local);
# the columns are then written back in the seed's words: "all" and "anywhere".
ip netns exec "$ns" iptables -t nat -L IP-MASQ-AGENT -n | awk '
  /^Chain|^target/ { print; next }
  { prot = ($2 == "0") ? "all" : $2
    src = ($4 == "0.0.0.0/0") ? "anywhere" : $4
    dst = ($5 == "0.0.0.0/0") ? "anywhere" : $5
    rest = $0; for (i = 1; i <= 5; i++) sub(/^[ \t]*[^ \t]+/, "", rest); sub(/^[ \t]+/, "", rest)
    printf "%-10s %-4s %-4s%-20s %-20s %s\n", $1, prot, $3, src, dst, rest }'
