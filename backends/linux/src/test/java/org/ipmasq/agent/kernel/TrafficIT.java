package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real traffic through three namespaces: pod -> node (the agent runs here) -> peer. The peer
 * reports the source address each TCP connection arrived with, so masquerading is observed on
 * the wire, not inferred from rules.
 *
 * <pre>
 *   pod 10.244.1.2/24 --veth-- 10.244.1.1/24 node 172.16.5.1/24 --veth-- 172.16.5.2/24 peer
 *                                                198.51.100.1/24          198.51.100.2/24
 * </pre>
 * 172.16.5.2 lies inside the default non-masquerade range 172.16.0.0/12; 198.51.100.2 lies
 * outside every default range.
 */
class TrafficIT {

    static final String POD = "10.244.1.2";
    static final String INSIDE = "172.16.5.2";
    static final String OUTSIDE = "198.51.100.2";
    static final String NODE_INSIDE = "172.16.5.1";
    static final String NODE_OUTSIDE = "198.51.100.1";
    static final int PORT = 8080;

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    /** The three namespaces and their links; deleting the namespaces removes the veths too. */
    static final class Topology implements AutoCloseable {
        final Netns pod = Netns.create("pod");
        final Netns node = Netns.create("node");
        final Netns peer = Netns.create("peer");

        Topology() {
            try {
                wire();
            } catch (RuntimeException | Error failed) {
                // A half-built topology has no owner to close it: remove the namespaces here.
                close();
                throw failed;
            }
        }

        private void wire() {
            String tag = Long.toString(ProcessHandle.current().pid() % 100000);
            String podSide = "p" + tag + "a";
            String nodePodSide = "p" + tag + "b";
            String nodePeerSide = "q" + tag + "a";
            String peerSide = "q" + tag + "b";
            Netns.host("ip", "link", "add", podSide, "netns", pod.name, "type", "veth", "peer", "name", nodePodSide,
                    "netns", node.name);
            Netns.host("ip", "link", "add", nodePeerSide, "netns", node.name, "type", "veth", "peer", "name", peerSide,
                    "netns", peer.name);
            pod.ok("ip", "addr", "add", POD + "/24", "dev", podSide);
            pod.ok("ip", "link", "set", podSide, "up");
            pod.ok("ip", "route", "add", "default", "via", "10.244.1.1");
            node.ok("ip", "addr", "add", "10.244.1.1/24", "dev", nodePodSide);
            node.ok("ip", "addr", "add", NODE_INSIDE + "/24", "dev", nodePeerSide);
            node.ok("ip", "addr", "add", NODE_OUTSIDE + "/24", "dev", nodePeerSide);
            node.ok("ip", "link", "set", nodePodSide, "up");
            node.ok("ip", "link", "set", nodePeerSide, "up");
            node.ok("sysctl", "-qw", "net.ipv4.ip_forward=1");
            peer.ok("ip", "addr", "add", INSIDE + "/24", "dev", peerSide);
            peer.ok("ip", "addr", "add", OUTSIDE + "/24", "dev", peerSide);
            peer.ok("ip", "link", "set", peerSide, "up");
            // Unmasqueraded replies must find their way back to the pod network.
            peer.ok("ip", "route", "add", "10.244.1.0/24", "via", NODE_INSIDE);
        }

        @Override
        public void close() {
            pod.close();
            node.close();
            peer.close();
        }
    }

    /** Opens one TCP connection from the pod to {@code address} and returns the source the peer saw. */
    static String sourceSeenByPeer(Topology t, String address) throws Exception {
        return sourceSeenByPeer(t, address, PORT);
    }

    /** The same on another port, for tests where other components treat ports differently. */
    static String sourceSeenByPeer(Topology t, String address, int port) throws Exception {
        String testClasses = Path.of(SourceEchoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(t.peer.command(java, "-XX:TieredStopAtLevel=1", "-cp", testClasses,
                SourceEchoServer.class.getName(), Integer.toString(port), "1", "20")).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.US_ASCII))) {
            assertEquals("listening", lines.readLine());
            Netns.Result reply = t.pod.exec("timeout", "5", "bash", "-c",
                    "exec 3<>/dev/tcp/" + address + "/" + port + " && head -n1 <&3");
            assertEquals(0, reply.exit(), reply::toString);
            return reply.out().strip();
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The same traffic, the same expectations, for each Linux backend: the default (auto, which
     * is iptables here since iptables is installed) and --backend=nftables. Only the final look
     * at the rules is backend-specific.
     */
    @ParameterizedTest(name = "backend flags {0}")
    @ValueSource(strings = {"", "--backend=nftables"})
    void keptRangesKeepThePodAddressOthersGetTheNodesAndForcedRangesAreMasqueraded(String backendFlag) throws Exception {
        try (Topology t = new Topology()) {
            // Without the agent everything keeps the pod's address: the test would notice no masquerading.
            assertEquals(POD, sourceSeenByPeer(t, OUTSIDE));

            Path config = dir.resolve("config");
            AgentProcess.configFile(dir, "resyncInterval: 60s\n");
            Netns.Result sync = syncOnce(t, config, backendFlag);
            assertEquals(0, sync.exit(), sync::toString);
            assertEquals(POD, sourceSeenByPeer(t, INSIDE));
            assertEquals(NODE_OUTSIDE, sourceSeenByPeer(t, OUTSIDE));

            AgentProcess.configFile(dir, "forceMasqueradeCIDRs:\n  - 172.16.5.0/24\n");
            sync = syncOnce(t, config, backendFlag);
            assertEquals(0, sync.exit(), sync::toString);
            assertEquals(NODE_INSIDE, sourceSeenByPeer(t, INSIDE));
            assertEquals(NODE_OUTSIDE, sourceSeenByPeer(t, OUTSIDE));
            if (backendFlag.isEmpty()) {
                List<String> chain = Listing.rows(t.node.ok("iptables", "-t", "nat", "-L", "IP-MASQ-AGENT", "-n").out());
                assertEquals("MASQUERADE all -- anywhere 172.16.5.0/24", chain.get(1).substring(0, chain.get(1).indexOf(" /*")));
            } else {
                assertTrue(t.node.ok("nft", "list", "set", "ip", "ip-masq-agent", "force-masquerade").out()
                        .contains("elements = { 172.16.5.0/24 }"));
                assertFalse(t.node.ok("iptables-nft-save", "-t", "nat").out().contains("IP-MASQ-AGENT"),
                        "the nftables backend must not write iptables rules");
            }
        }
    }

    private static Netns.Result syncOnce(Topology t, Path config, String backendFlag) {
        List<String> args = new java.util.ArrayList<>(List.of("--sync-once", "--config", config.toString()));
        if (!backendFlag.isEmpty()) {
            args.add(backendFlag);
        }
        return AgentProcess.runOnce(t.node, args.toArray(String[]::new));
    }
}
