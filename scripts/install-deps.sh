#!/usr/bin/env bash
# Installs what building, running and testing the agent needs on Debian/Ubuntu, only where missing:
# a JDK 17, iptables (both the legacy and nf_tables flavours), nftables and iproute2.
# Maven itself comes through ./mvnw.
set -euo pipefail

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
for tool in iptables-legacy iptables-nft ip6tables-legacy ip6tables-nft; do
  command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$tool" >/dev/null 2>&1 || need+=(iptables)
done
PATH="$PATH:/usr/sbin:/sbin" command -v nft >/dev/null 2>&1 || need+=(nftables)
PATH="$PATH:/usr/sbin:/sbin" command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v curl >/dev/null 2>&1 || need+=(curl)
# kubectl renders the deploy folders offline (kubectl kustomize) in the manifest tests.
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
# The Windows backend's tests judge its dry-run diffs with the real diff and patch programs.
command -v diff >/dev/null 2>&1 || need+=(diffutils)
command -v patch >/dev/null 2>&1 || need+=(patch)

if [ ${#need[@]} -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "installing: ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${need[@]}" >/dev/null \
    || { "${sudo_cmd[@]}" apt-get update >/dev/null && "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
fi

# promtool (Debian's prometheus package) checks the documented alert rules against series scraped
# from a running agent (AlertRulesIT). Only promtool is taken from the package: installing all of
# it would also start a Prometheus server on the host.
if ! command -v promtool >/dev/null 2>&1; then
  echo "installing: promtool (from Debian's prometheus package)"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && { apt-get download prometheus >/dev/null 2>&1 \
      || { "${sudo_cmd[@]}" apt-get update >/dev/null && apt-get download prometheus >/dev/null 2>&1; }; })
  dpkg-deb --fsys-tarfile "$work"/prometheus_*.deb | tar -x -C "$work" ./usr/bin/promtool
  "${sudo_cmd[@]}" install -m 755 "$work/usr/bin/promtool" /usr/local/bin/promtool
fi
