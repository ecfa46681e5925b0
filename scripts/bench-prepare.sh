#!/usr/bin/env bash
# What every benchmark needs before it measures: the apt packages, the packaged agent and the
# test classes (built only when missing, so a benchmark measures what was built), and the test
# class path in target/bench-classpath.txt for the Java harnesses (KubeProxyRules, *Bench).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f target/quarkus-app/quarkus-run.jar ] && [ -d target/test-classes ] || ./mvnw -B -q -DskipTests -DskipITs verify
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
