#!/usr/bin/env bash
# Native check (issue 23), run by hand as root; not part of CI, which has no GraalVM. Builds the
# native executable with the GraalVM or Mandrel home in $GRAALVM_HOME (a local build, no container)
# and runs every packaged-agent kernel test against it: the same tests CI runs against the JVM,
# started through scripts/ip-masq-agent with IPMASQ_RUNTIME=native (-Dagent.runtime=native).
# LauncherIT is left out: it is about the JVM launcher's choices alone.
#
#   GRAALVM_HOME=/path/to/graalvm scripts/native-check.sh
#
# Without a usable home it says SKIPPED and exits 77 (nothing was checked). NATIVE_BUILD_ARGS adds
# native-image options a particular toolchain needs (comma-separated, as
# quarkus.native.additional-build-args takes them). SKIP_BUILD=1 reuses the executable in target/.
# Prints the build's time, its peak memory, the executable's size, then the tests' results.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"
if [ -z "${GRAALVM_HOME:-}" ] || ! "$GRAALVM_HOME/bin/native-image" --version > /dev/null 2>&1; then
  echo "native-check: SKIPPED: no working GraalVM or Mandrel home (set GRAALVM_HOME to one whose bin/native-image runs)" >&2
  exit 77
fi
[ "$(id -u)" = 0 ] || { echo "native-check: the kernel tests need root (network namespaces)" >&2; exit 2; }
"$GRAALVM_HOME/bin/native-image" --version

# The flags the project's native build always has live in application.properties; these only say
# where the toolchain is.
args=(-Pnative -Dquarkus.native.container-build=false -Dquarkus.native.graalvm-home="$GRAALVM_HOME")
base=$(grep '^quarkus.native.additional-build-args=' src/main/resources/application.properties | cut -d= -f2-)
[ -z "${NATIVE_BUILD_ARGS:-}" ] || args+=("-Dquarkus.native.additional-build-args=$base,$NATIVE_BUILD_ARGS")
if [ -z "${SKIP_BUILD:-}" ]; then
  start=$(date +%s)
  /usr/bin/time -v -o target/native-build.time ./mvnw -B -q package -DskipTests "${args[@]}"
  echo "native build: $(( $(date +%s) - start )) s, peak resident $(awk -F': ' '/Maximum resident/ {printf "%.1f GiB", $2 / 1048576}' target/native-build.time) (the Maven process tree's largest)"
fi
binary=$(ls target/ip-masq-agent-*-runner)
echo "executable: $binary, $(du -m "$binary" | cut -f1) MB"
"$binary" --help > /dev/null

tests=$(cd backends/linux/src/test/java/org/ipmasq/agent/kernel && ls ./*IT.java | sed 's|^\./||; s|\.java$||' \
  | grep -v '^LauncherIT$' | paste -sd, -)
echo "kernel tests against the native executable: $tests"
CI=true ./mvnw -B verify -Dipmasq.aot.skip=true -Dagent.runtime=native -Dtest=NONE \
  -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="$tests" 2>&1 \
  | grep -E 'Tests run:|FAIL|ERROR|BUILD' | grep -v '^\[INFO\] *$'
