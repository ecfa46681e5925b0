package org.ipmasq.agent.kernel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Rule sets shaped like kube-proxy's for a node with {@code services} ClusterIP Services of two
 * endpoints each, so tests and benchmarks can put the agent on a loaded node. Shared by the
 * loaded-node kernel tests and scripts/bench-loaded-node.sh (through {@link #main}).
 *
 * <p>iptables mode follows kube-proxy's nat layout: KUBE-SERVICES -> KUBE-SVC-* (masquerade mark
 * for off-cluster sources, then a random pick) -> KUBE-SEP-* (DNAT), and KUBE-POSTROUTING with its
 * MASQUERADE; 8 nat rules per Service, about 40,000 at 5,000 Services. The kubelet's hint chains
 * go in mangle, as kubelet 1.17 and later create them. nftables mode is kube-proxy's own table
 * ({@code table ip kube-proxy}): a verdict map from ClusterIP, protocol and port to a chain per
 * Service, a chain per endpoint, a set of ClusterIPs.
 */
public final class KubeProxyRules {

    /** Sizes the issue asks every measurement at. */
    public static final int[] SIZES = {0, 1_000, 5_000};

    private static final String CLUSTER_CIDR = "10.244.0.0/16";

    private KubeProxyRules() {
    }

    /** {@code iptables-restore} input (nat and mangle) for {@code services} Services; loaded with --noflush or not. */
    public static String iptables(int services) {
        StringBuilder chains = new StringBuilder();
        StringBuilder rules = new StringBuilder();
        chains.append(":KUBE-MARK-MASQ - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n")
                .append(":KUBE-SERVICES - [0:0]\n:KUBE-KUBELET-CANARY - [0:0]\n:KUBE-PROXY-CANARY - [0:0]\n");
        rules.append("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n")
                .append("-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n")
                .append("-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n")
                .append("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n")
                .append("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n")
                .append("-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0\n")
                .append("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" "
                        + "-j MASQUERADE --random-fully\n");
        for (int i = 0; i < services; i++) {
            String name = serviceName(i);
            String clusterIp = clusterIp(i);
            String svc = "KUBE-SVC-" + hash("svc" + i);
            chains.append(':').append(svc).append(" - [0:0]\n");
            rules.append("-A KUBE-SERVICES -d ").append(clusterIp).append("/32 -p tcp -m comment --comment \"")
                    .append(name).append(" cluster IP\" -m tcp --dport 80 -j ").append(svc).append('\n');
            rules.append("-A ").append(svc).append(" ! -s ").append(CLUSTER_CIDR).append(" -d ").append(clusterIp)
                    .append("/32 -p tcp -m comment --comment \"").append(name)
                    .append(" cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ\n");
            for (int e = 0; e < 2; e++) {
                String endpoint = endpointIp(i, e);
                String sep = "KUBE-SEP-" + hash("sep" + i + "/" + e);
                chains.append(':').append(sep).append(" - [0:0]\n");
                rules.append("-A ").append(svc).append(" -m comment --comment \"").append(name).append(" -> ")
                        .append(endpoint).append(":8080\"")
                        .append(e == 0 ? " -m statistic --mode random --probability 0.50000000000" : "")
                        .append(" -j ").append(sep).append('\n');
                rules.append("-A ").append(sep).append(" -s ").append(endpoint).append("/32 -m comment --comment ")
                        .append(name).append(" -j KUBE-MARK-MASQ\n");
                rules.append("-A ").append(sep).append(" -p tcp -m comment --comment ").append(name)
                        .append(" -m tcp -j DNAT --to-destination ").append(endpoint).append(":8080\n");
            }
        }
        rules.append("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the "
                + "last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n");
        return "*mangle\n:KUBE-IPTABLES-HINT - [0:0]\n:KUBE-KUBELET-CANARY - [0:0]\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n"
                + "*nat\n" + chains + rules + "COMMIT\n";
    }

    /** {@code nft -f} input: kube-proxy's nftables-mode table for {@code services} Services. */
    public static String nftables(int services) {
        StringBuilder text = new StringBuilder();
        text.append("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n");
        text.append("add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority dstnat ; }\n");
        text.append("add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }\n");
        text.append("add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority srcnat ; }\n");
        text.append("add chain ip kube-proxy services\n");
        text.append("add chain ip kube-proxy masquerading\n");
        text.append("add chain ip kube-proxy mark-for-masquerade\n");
        text.append("add set ip kube-proxy cluster-ips { type ipv4_addr ; comment \"Active ClusterIPs\" ; }\n");
        text.append("add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; "
                + "comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ; }\n");
        text.append("add rule ip kube-proxy nat-prerouting jump services\n");
        text.append("add rule ip kube-proxy nat-output jump services\n");
        text.append("add rule ip kube-proxy nat-postrouting jump masquerading\n");
        text.append("add rule ip kube-proxy masquerading meta mark & 0x00004000 == 0 return\n");
        text.append("add rule ip kube-proxy masquerading meta mark set meta mark ^ 0x00004000\n");
        text.append("add rule ip kube-proxy masquerading masquerade fully-random\n");
        text.append("add rule ip kube-proxy mark-for-masquerade meta mark set meta mark | 0x00004000\n");
        text.append("add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips\n");
        for (int i = 0; i < services; i++) {
            String clusterIp = clusterIp(i);
            String svc = "service-" + hash("svc" + i).substring(0, 8) + "-" + serviceName(i).replace(':', '/') + "/tcp/http";
            text.append("add chain ip kube-proxy ").append(svc).append('\n');
            String[] endpoints = new String[2];
            for (int e = 0; e < 2; e++) {
                String endpoint = endpointIp(i, e);
                endpoints[e] = "endpoint-" + hash("sep" + i + "/" + e).substring(0, 8) + "-"
                        + serviceName(i).replace(':', '/') + "/tcp/http__" + endpoint + "/8080";
                text.append("add chain ip kube-proxy ").append(endpoints[e]).append('\n');
                text.append("add rule ip kube-proxy ").append(endpoints[e]).append(" ip saddr ").append(endpoint)
                        .append(" jump mark-for-masquerade\n");
                text.append("add rule ip kube-proxy ").append(endpoints[e]).append(" meta l4proto tcp dnat to ")
                        .append(endpoint).append(":8080\n");
            }
            text.append("add rule ip kube-proxy ").append(svc).append(" ip daddr ").append(clusterIp)
                    .append(" tcp dport 80 ip saddr != ").append(CLUSTER_CIDR).append(" jump mark-for-masquerade\n");
            text.append("add rule ip kube-proxy ").append(svc).append(" numgen random mod 2 vmap { 0 : goto ")
                    .append(endpoints[0]).append(" , 1 : goto ").append(endpoints[1]).append(" }\n");
            text.append("add element ip kube-proxy cluster-ips { ").append(clusterIp).append(" }\n");
            text.append("add element ip kube-proxy service-ips { ").append(clusterIp).append(" . tcp . 80 : goto ")
                    .append(svc).append(" }\n");
        }
        return text.toString();
    }

    static String serviceName(int i) {
        return "ns" + (i % 50) + "/svc-" + i + ":http";
    }

    /** 10.96.0.0/12 holds up to a million ClusterIPs; skip .0 and the kubernetes Service's .1. */
    static String clusterIp(int i) {
        int n = i + 2;
        return "10." + (96 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    static String endpointIp(int service, int endpoint) {
        int n = service * 2 + endpoint + 2;
        return "10.244." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    /** 16 characters of [A-Z2-7] from SHA-256, as kube-proxy derives its chain names. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                out.append(alphabet.charAt((digest[i] & 0xff) % 32));
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code KubeProxyRules iptables|nftables SERVICES}: prints the rule set, for the benchmark script. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: KubeProxyRules iptables|nftables SERVICES");
            System.exit(2);
        }
        int services = Integer.parseInt(args[1]);
        String mode = args[0].toLowerCase(Locale.ROOT);
        System.out.print(switch (mode) {
            case "iptables" -> iptables(services);
            case "nftables" -> nftables(services);
            default -> throw new IllegalArgumentException("mode must be iptables or nftables: " + mode);
        });
    }
}
