package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.core.SyncReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dual-stack endpoint as sdnbridge builds it from its published dual-stack example: two
 * OutBoundNAT policies, the IPv6 one told apart by its VirtualIP and addresses, without the IPv6
 * flag. Each family gets its own list; without --enable-ipv6 the IPv6 policy is not touched.
 */
class HnsDualStackTest {

    static final String ID = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d09";
    static final MasqPolicy DUAL = Policies.dualStack(List.of("10.0.0.0/8", "192.168.0.0/16"), List.of("fd00::/8"));
    static final MasqPolicy IPV4 = Policies.ipv4(List.of("10.0.0.0/8", "192.168.0.0/16"), List.of());
    static final String V4_BEFORE = "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"192.168.0.0/16\","
            + "\"11.0.0.0/8\",\"10.124.24.0/23\"]}}";
    static final String V6_BEFORE = "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"VirtualIP\":\"fc00::123\","
            + "\"Destinations\":[\"fd01::192\",\"fd01::193\"],\"Exceptions\":[\"fd03::100/120\",\"fd04::100/120\"]}}";
    static final String V4_AFTER = "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.0.0.0/8\","
            + "\"192.168.0.0/16\",\"169.254.0.0/16\"]}}";
    static final String V6_AFTER = "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"VirtualIP\":\"fc00::123\","
            + "\"Destinations\":[\"fd01::192\",\"fd01::193\"],\"Exceptions\":[\"fd00::/8\",\"fe80::/10\"]}}";

    @TempDir
    Path dir;
    private FakeHcn hns;
    private List<ObjectNode> routesBefore;

    @BeforeEach
    void node() {
        hns = new FakeHcn();
        hns.addResource("dual-stack-sdnbridge");
        routesBefore = hns.policies(ID).subList(2, 4);
    }

    @Test
    void withIpv6EachFamilyGetsItsOwnListThoughTheIpv6PolicyHasNoFlag() throws Exception {
        HnsBackend backend = new HnsBackend(hns, "fake", Optional.empty());

        SyncReport report = backend.sync(DUAL);

        assertEquals(List.of(new FakeHcn.Sent(ID, HnsBackendTest.update(V4_AFTER, V6_AFTER))), hns.sent);
        assertEquals(List.of("10.0.0.0/8", "192.168.0.0/16", "169.254.0.0/16"), hns.exceptions(ID, IpFamily.IPV4));
        assertEquals(List.of("fd00::/8", "fe80::/10"), hns.exceptions(ID, IpFamily.IPV6));
        assertEquals(List.of(Json.MAPPER.readTree(V4_AFTER), Json.MAPPER.readTree(V6_AFTER), routesBefore.get(0),
                routesBefore.get(1)), hns.policies(ID), "VirtualIP, Destinations and the routes are kept");
        assertTrue(report.changes().get(0).description().contains("IPv4 OutBoundNAT exceptions +[10.0.0.0/8, "
                + "169.254.0.0/16] -[11.0.0.0/8, 10.124.24.0/23], IPv6 OutBoundNAT exceptions +[fd00::/8, fe80::/10] "
                + "-[fd03::100/120, fd04::100/120]"), report.changes().get(0).description());
        hns.sent.clear();
        backend.sync(DUAL);
        assertEquals(List.of(), hns.sent, "in line after one pass");
    }

    @Test
    void withoutIpv6TheIpv6PolicyIsLeftExactlyAsItIs() throws Exception {
        new HnsBackend(hns, "fake", Optional.empty()).sync(IPV4);

        assertEquals(List.of(new FakeHcn.Sent(ID, HnsBackendTest.update(V4_AFTER))), hns.sent);
        assertEquals(Json.MAPPER.readTree(V6_BEFORE), hns.policies(ID).get(1));
    }

    @Test
    void whenUpdateIsRefusedBothFamiliesGoThroughRemoveAndAdd() throws Exception {
        hns.update(ID, FakeHcn.UpdateBehaviour.REFUSE);

        SyncReport report = new HnsBackend(hns, "fake", Optional.empty()).sync(DUAL);

        assertEquals(List.of(
                new FakeHcn.Sent(ID, HnsBackendTest.update(V4_AFTER, V6_AFTER)),
                new FakeHcn.Sent(ID, HnsBackendTest.request("Remove", V4_BEFORE, V6_BEFORE)),
                new FakeHcn.Sent(ID, HnsBackendTest.request("Add", V4_AFTER, V6_AFTER))), hns.sent);
        assertEquals(List.of("fd00::/8", "fe80::/10"), hns.exceptions(ID, IpFamily.IPV6));
        assertEquals(1L, report.countsByKey().get("strategy_remove_add"));
    }

    @Test
    void anOutboundNatWithAddressesOfBothFamiliesIsReportedAndLeftAlone() throws Exception {
        FakeHcn mixed = new FakeHcn();
        mixed.add(TestFiles.read("hns/dual-stack-sdnbridge.json").replace("\"11.0.0.0/8\"", "\"fd05::/64\""));

        HnsSyncException e = assertThrows(HnsSyncException.class,
                () -> new HnsBackend(mixed, "fake", Optional.empty()).sync(DUAL));

        assertTrue(e.getMessage().contains(NatFamily.CONTRADICTION), e.getMessage());
        assertEquals(List.of(), mixed.sent);
    }

    /** The operator's preview from a snapshot of the same endpoint. */
    @Test
    void theSnapshotPreviewShowsBothFamilies() throws Exception {
        Path snapshot = Files.writeString(dir.resolve("endpoints.json"), "[" + TestFiles.read("hns/dual-stack-sdnbridge.json") + "]");
        HnsBackend backend = new HnsBackend(new SnapshotHcn(snapshot), "snapshot", Optional.empty());

        assertEquals("{\"endpoint\":\"" + ID + "\",\"request\":" + HnsBackendTest.update(V4_AFTER, V6_AFTER) + "}\n",
                backend.plan(DUAL));
        assertEquals("{\"endpoint\":\"" + ID + "\",\"request\":" + HnsBackendTest.update(V4_AFTER) + "}\n",
                backend.plan(IPV4));
    }
}
