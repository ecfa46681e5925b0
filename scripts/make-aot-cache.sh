#!/usr/bin/env bash
# Makes the two AOT caches scripts/ip-masq-agent uses (JDK 25+, -XX:AOTCacheOutput), each from a
# training run started through the launcher itself (same JVM, options and class path, so the
# cache fits them); the JVM writes the cache as it exits:
#   - ip-masq-agent.aot, for the daemon: boots it, syncs for real, answers /q/health/ready and
#     /q/metrics, then stops on SIGTERM;
#   - ip-masq-agent-oneshot.aot, for one-shot runs, which start from ip-masq-agent-oneshot.jar
#     (the runner's class path merged into one jar, made here first): OneShotTraining syncs,
#     dry-runs and cleans up with both Linux backends in one JVM.
# Run by `./mvnw package` (pom.xml), and by the container image build with the image's own JVM.
#
# Where the run happens, never in the caller's network namespace:
#   - root: a network namespace of its own (unshare --net), gone when the run ends;
#   - not root: a user and network namespace (unshare -rn) where the kernel allows it;
#   - neither: a --dry-run --sync-once (the one-shot path only; the daemon's boot stays untrained).
# Without a Java 25 or newer it says so and makes nothing: the launcher then runs without a cache,
# so a build on a machine with only Java 17 stays green.
#   usage: scripts/make-aot-cache.sh [quarkus-app folder]   (default target/quarkus-app)
set -euo pipefail
# The caches are the JVM's: the launcher must start the JVM even where a native build sits in target/.
export IPMASQ_RUNTIME=jvm
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
launcher=$here/ip-masq-agent
[ -x "$launcher" ] || launcher=$here/../scripts/ip-masq-agent
app=$(cd "${1:-$here/../target/quarkus-app}" && pwd)
export PATH="$PATH:/usr/sbin:/sbin"

# The launcher's own choice of JVM, without starting one.
java=$(IPMASQ_APP=$app IPMASQ_LAUNCHER_DEBUG=1 IPMASQ_AOT=off JAVA_OPTS=-version "$launcher" 2>&1 >/dev/null \
  | sed -n 's/^ip-masq-agent: \([^ ]*\) .*/\1/p')
release=$(dirname "$(dirname "$(readlink -f "$java")")")/release
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" 2>/dev/null || echo 0)
cache=$app/ip-masq-agent.aot
oneshot=$app/ip-masq-agent-oneshot.aot oneshot_jar=$app/ip-masq-agent-oneshot.jar
rm -f "$cache" "$cache.jvm" "$oneshot" "$oneshot.jvm" "$oneshot_jar"
if [ "${major:-0}" -lt 25 ]; then
  echo "make-aot-cache: $java is Java ${major:-?}, AOT caches need 25 or newer: no cache made (the agent runs without one)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'nonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\nresyncInterval: 60s\n' > "$work/config"

# Inside the private namespace: bring lo up, start the daemon, wait for its first good sync
# (readiness UP), read the metrics once, then stop it the way Kubernetes does.
# As root the daemon runs as a pod runs it (IN_CLUSTER=1): its ConfigMap from an API server
# (TrainingApi, in the same namespace) over TLS, with a service account's token and CA at the
# kubelet's path, in a mount namespace over a fresh /run so no file outside it is touched. That is
# the path deployed agents take, and what their cache must hold (the TLS read before the boot, the
# client, the informer's WebSocket). Elsewhere it reads the config file.
cat > "$work/train" <<'EOF'
set -eu
ip link set lo up
source_flags="--config-source=file --config $WORK/config"
if [ "${IN_CLUSTER:-}" = 1 ]; then
  mkdir -p "$WORK/sa"
  "$KEYTOOL" -genkeypair -alias api -keyalg EC -groupname secp256r1 -dname CN=kube-apiserver -ext san=ip:127.0.0.1 \
    -validity 1 -storetype PKCS12 -keystore "$WORK/api.p12" -storepass training -keypass training >/dev/null 2>&1
  "$KEYTOOL" -exportcert -rfc -alias api -keystore "$WORK/api.p12" -storepass training -file "$WORK/sa/ca.crt" >/dev/null 2>&1
  printf training > "$WORK/sa/token"; printf kube-system > "$WORK/sa/namespace"
  "$JAVA" -cp "$APP_CP" org.ipmasq.agent.runtime.TrainingApi 6443 "$WORK/api.p12" training "$WORK/config" >"$WORK/log-api" 2>&1 &
  api=$!
  for _ in $(seq 1 300); do grep -q '^listening' "$WORK/log-api" && break; sleep 0.1; done
  run=$(readlink -f /var/run)
  mount -t tmpfs -o mode=755 aot-training "$run"
  mkdir -p "$run/secrets/kubernetes.io"; ln -s "$WORK/sa" "$run/secrets/kubernetes.io/serviceaccount"
  export KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=6443
  source_flags="--config-source=api --node-name=aot-training"
fi
# shellcheck disable=SC2086
"$LAUNCHER" $source_flags --health-port=9742 >"$WORK/log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  if curl -sf -o /dev/null http://127.0.0.1:9742/q/health/ready; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$WORK/log"; exit 1; }
  sleep 0.1
done
curl -sf -o /dev/null http://127.0.0.1:9742/q/metrics
curl -sf -o /dev/null http://127.0.0.1:9742/q/health/live
kill -TERM "$pid"
wait "$pid" || true
if [ -n "${api:-}" ]; then kill "$api"; wait "$api" 2>/dev/null || true; fi
EOF
# The one-shot cache's training: it writes rules, so the namespace matters as much.
cat > "$work/train-oneshot" <<'EOF'
set -eu
ip link set lo up
IPMASQ_ONESHOT_TRAINING=1 JAVA_OPTS="-XX:AOTCacheOutput=$ONESHOT $BASE_OPTS" "$LAUNCHER" "$WORK/config" >"$WORK/log-oneshot" 2>&1
EOF

# The runner's class path, in its order (Quarkus's rewritten classes first; bash sorts the globs),
# merged into the one jar one-shot runs start from (OneShotJar says why and how).
make_oneshot_jar() {
  "$java" -cp "$(printf '%s:' "$app"/app/*.jar)" org.ipmasq.agent.runtime.OneShotJar "$oneshot_jar" \
    "$app/quarkus/transformed-bytecode.jar" "$app/quarkus/generated-bytecode.jar" \
    "$app"/app/*.jar "$app"/lib/main/*.jar "$app"/lib/boot/*.jar
}

export LAUNCHER=$launcher WORK=$work IPMASQ_APP=$app IPMASQ_AOT=off ONESHOT=$oneshot BASE_OPTS=${JAVA_OPTS:-}
export JAVA_OPTS="-XX:AOTCacheOutput=$cache -XX:MaxMetaspaceSize=256m ${JAVA_OPTS:-}"
export KEYTOOL=${java%/*}/keytool JAVA=$java APP_CP=$(printf '%s:' "$app"/app/*.jar "$app"/lib/main/*.jar "$app"/lib/boot/*.jar)
if [ "$(id -u)" -eq 0 ] && unshare --net --mount true 2>/dev/null && [ -x "$KEYTOOL" ]; then
  how="in a private network and mount namespace, as a pod (API over TLS, service account)"
  IN_CLUSTER=1 unshare --net --mount --propagation private bash "$work/train"
  make_oneshot_jar; unshare --net bash "$work/train-oneshot"
elif [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then
  how="in a private network namespace"
  unshare --net bash "$work/train"; make_oneshot_jar; unshare --net bash "$work/train-oneshot"
elif unshare -rn ip link set lo up 2>/dev/null; then
  how="in a private user and network namespace"
  unshare -rn bash "$work/train"; make_oneshot_jar; unshare -rn bash "$work/train-oneshot"
else
  # Nothing may be written outside a namespace: the daemon's cache from a dry run (the rest of the
  # daemon stays untrained), and no one-shot cache (nor its jar), whose training syncs and cleans
  # up. One-shot runs then go through the runner with the daemon's cache, as the launcher does
  # without theirs.
  how="as a --dry-run (no namespace available)"
  "$launcher" --config-source=file --config "$work/config" --dry-run >"$work/log" 2>&1
  echo "no network namespace to train one-shot runs in" > "$work/log-oneshot"
fi
# The launcher uses a cache only with the JVM build recorded next to it.
stamp=$(grep -E '^(IMPLEMENTOR|JAVA_RUNTIME_VERSION)=' "$release" | tr '\n' ' ')
for made in "$cache:$work/log" "$oneshot:$work/log-oneshot"; do
  file=${made%%:*} log=${made#*:}
  if [ -f "$file" ]; then
    printf '%s' "$stamp" > "$file.jvm"
    echo "make-aot-cache: $file ($(du -h "$file" | cut -f1)) trained $how, for $stamp"
  else
    echo "make-aot-cache: the training run made no $file; the agent runs without it. Its log:"
    cat "$log"
  fi
done
