package org.ipmasq.agent.backend.hns;

import static org.ipmasq.agent.backend.hns.Policies.DEFAULTS;
import static org.ipmasq.agent.backend.hns.Policies.DEFAULT_EXCEPTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.SyncReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backend against a fake HNS holding endpoints as the Windows CNI plugins create them. */
class HnsBackendTest {

    static final String BRIDGE = "0f6c3a2e-6c1d-4b8e-9d52-3a1f0e7b9c01";
    static final String OVERLAY = "7a2b9c4d-3e5f-4a6b-8c7d-9e0f1a2b3c02";
    static final String FLANNEL = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e03";
    static final String AZURE = "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a04";
    static final String REMOTE = "a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c05";
    static final String REMOTE_V1 = "b0c1d2e3-f4a5-4b6c-8d7e-8f9a0b1c2d06";
    static final String NO_NAT = "d2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f07";
    static final String DUAL = "f4a5b6c7-d8e9-4f0a-8b1c-2d3e4f5a6b08";

    static final String WANTED = "[\"10.0.0.0/8\",\"172.16.0.0/12\",\"192.168.0.0/16\",\"169.254.0.0/16\"]";

    static final String BRIDGE_NAT = "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":" + WANTED + "}}";
    static final String BRIDGE_NAT_BEFORE = "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":"
            + "[\"10.244.0.0/16\",\"10.96.0.0/12\",\"192.168.1.0/24\"]}}";
    static final String BRIDGE_UPDATE = update(BRIDGE_NAT);
    static final String OVERLAY_UPDATE = update("{\"type\":\"OutBoundNAT\",\"settings\":{\"VirtualIP\":\"\",\"exceptions\":"
            + WANTED + ",\"Destinations\":[],\"Flags\":0,\"MaxPortPoolUsage\":0,\"FutureSetting\":{\"kept\":true}}}");
    static final String AZURE_UPDATE = update("{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":" + WANTED
            + ",\"Flags\":0}}");

    private FakeHcn hns;
    private HnsBackend backend;

    @BeforeEach
    void node() {
        hns = new FakeHcn();
        for (String endpoint : List.of("win-bridge", "win-overlay", "flannel-host-gw", "azure-cni", "remote",
                "remote-v1", "no-outbound-nat")) {
            hns.addResource(endpoint);
        }
        backend = new HnsBackend(hns, "fake", Optional.empty());
    }

    static String update(String... policies) {
        return request("Update", policies);
    }

    static String request(String type, String... policies) {
        return "{\"ResourceType\":\"Policy\",\"RequestType\":\"" + type + "\",\"Settings\":{\"Policies\":["
                + String.join(",", policies) + "]}}";
    }

    static FakeHcn.Sent sent(String endpoint, String request) {
        return new FakeHcn.Sent(endpoint, request);
    }

    @Test
    void updatesTheOutboundNatOfEveryLocalEndpointThatDiffersAndNothingElse() throws Exception {
        Map<String, ObjectNode> before = Map.of(REMOTE, hns.endpoint(REMOTE), REMOTE_V1, hns.endpoint(REMOTE_V1),
                NO_NAT, hns.endpoint(NO_NAT), FLANNEL, hns.endpoint(FLANNEL));
        List<ObjectNode> overlayBefore = hns.policies(OVERLAY);

        SyncReport report = backend.sync(DEFAULTS);

        assertEquals(List.of(sent(BRIDGE, BRIDGE_UPDATE), sent(OVERLAY, OVERLAY_UPDATE), sent(AZURE, AZURE_UPDATE)),
                hns.sent);
        for (String id : List.of(BRIDGE, OVERLAY, AZURE)) {
            assertEquals(DEFAULT_EXCEPTIONS, hns.exceptions(id, IpFamily.IPV4), id);
        }
        // Remote endpoints, the one without OutBoundNAT and the one already right: untouched.
        before.forEach((id, document) -> assertEquals(document, hns.endpoint(id), id));
        // The other policies of a changed endpoint: untouched, in place.
        List<ObjectNode> overlayAfter = hns.policies(OVERLAY);
        assertEquals(overlayBefore.get(0), overlayAfter.get(0));
        assertEquals(overlayBefore.subList(2, 4), overlayAfter.subList(2, 4));

        assertEquals(List.of("endpoint_updated", "endpoint_updated", "endpoint_updated"),
                report.changes().stream().map(Change::kind).toList());
        assertEquals("endpoint " + BRIDGE + " (3b8f9a2c4d5e_cbr0): IPv4 OutBoundNAT exceptions "
                + "+[10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16] "
                + "-[10.244.0.0/16, 10.96.0.0/12, 192.168.1.0/24] via Update", report.changes().get(0).description());
        assertEquals(counts(7, 3, 0, 0, 3, 0), endpointCounts(report));
    }

    @Test
    void aSecondSyncSendsNothing() throws Exception {
        backend.sync(DEFAULTS);
        hns.sent.clear();

        SyncReport again = backend.sync(DEFAULTS);

        assertEquals(List.of(), hns.sent);
        assertFalse(again.wrote());
        assertEquals(counts(7, 0, 0, 0, 0, 0), endpointCounts(again));
    }

    @Test
    void driftIsRepaired() throws Exception {
        backend.sync(DEFAULTS);
        hns.sent.clear();
        hns.editExceptions(BRIDGE, IpFamily.IPV4, List.of("10.244.0.0/16", "10.96.0.0/12", "192.168.1.0/24"));

        SyncReport report = backend.sync(DEFAULTS);

        assertEquals(List.of(sent(BRIDGE, BRIDGE_UPDATE)), hns.sent);
        assertEquals(DEFAULT_EXCEPTIONS, hns.exceptions(BRIDGE, IpFamily.IPV4));
        assertEquals(1, report.changes().size());
    }

    @Test
    void aConfigChangeRewritesTheExceptionsAgain() throws Exception {
        backend.sync(DEFAULTS);
        hns.sent.clear();

        backend.sync(Policies.ipv4(List.of("10.0.0.0/8"), List.of()));

        String narrowed = "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.0.0.0/8\",\"169.254.0.0/16\"]}}";
        assertEquals(sent(BRIDGE, update(narrowed)), hns.sent.get(0));
        assertEquals(4, hns.sent.size(), "bridge, overlay, flannel and azure all held the old list");
    }

    @Test
    void dualStackWritesEachFamilyToItsOwnOutboundNat() throws Exception {
        FakeHcn dual = new FakeHcn();
        dual.addResource("dual-stack");
        HnsBackend backend = new HnsBackend(dual, "fake", Optional.empty());

        backend.sync(Policies.dualStack(List.of("10.0.0.0/8"), List.of("fd00::/8")));

        assertEquals(List.of(sent(DUAL, update(
                "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.0.0.0/8\",\"169.254.0.0/16\"],\"Flags\":0}}",
                "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"fd00::/8\",\"fe80::/10\"],\"Flags\":2}}"))),
                dual.sent);
        assertEquals(List.of("10.0.0.0/8", "169.254.0.0/16"), dual.exceptions(DUAL, IpFamily.IPV4));
        assertEquals(List.of("fd00::/8", "fe80::/10"), dual.exceptions(DUAL, IpFamily.IPV6));
    }

    @Test
    void withoutIpv6TheIpv6OutboundNatIsLeftAlone() throws Exception {
        FakeHcn dual = new FakeHcn();
        dual.addResource("dual-stack");

        new HnsBackend(dual, "fake", Optional.empty()).sync(Policies.ipv4(List.of("10.0.0.0/8"), List.of()));

        assertEquals(List.of(sent(DUAL, update(
                "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.0.0.0/8\",\"169.254.0.0/16\"],\"Flags\":0}}"))),
                dual.sent);
        assertEquals(List.of("fd00:10:244::/56"), dual.exceptions(DUAL, IpFamily.IPV6));
    }

    @Test
    void anUpdateRefusedFallsBackToRemoveThenAdd() throws Exception {
        hns.update(BRIDGE, FakeHcn.UpdateBehaviour.REFUSE);

        SyncReport report = backend.sync(DEFAULTS);

        assertEquals(List.of(
                sent(BRIDGE, BRIDGE_UPDATE),
                sent(BRIDGE, request("Remove", BRIDGE_NAT_BEFORE)),
                sent(BRIDGE, request("Add", BRIDGE_NAT))), hns.sent.subList(0, 3));
        assertEquals(DEFAULT_EXCEPTIONS, hns.exceptions(BRIDGE, IpFamily.IPV4));
        assertEquals(3, hns.policies(BRIDGE).size());
        String description = report.changes().get(0).description();
        assertTrue(description.contains("via Remove+Add (Update refused: HcnModifyEndpoint failed: 0x803B0015 "
                + "(HCN_E_REQUEST_UNSUPPORTED); error record: " + FakeHcn.REFUSED_RECORD + ")"), description);
        assertEquals(1L, report.countsByKey().get("strategy_remove_add"));
        assertEquals(2L, report.countsByKey().get("strategy_update"));
    }

    @Test
    void anUpdateThatChangesNothingFallsBackToo() throws Exception {
        hns.update(BRIDGE, FakeHcn.UpdateBehaviour.IGNORE);

        SyncReport report = backend.sync(DEFAULTS);

        assertEquals(List.of(sent(BRIDGE, BRIDGE_UPDATE), sent(BRIDGE, request("Remove", BRIDGE_NAT_BEFORE)),
                sent(BRIDGE, request("Add", BRIDGE_NAT))), hns.sent.subList(0, 3));
        assertEquals(DEFAULT_EXCEPTIONS, hns.exceptions(BRIDGE, IpFamily.IPV4));
        assertTrue(report.changes().get(0).description().contains("Update did not take: IPv4 OutBoundNAT exceptions "
                + "read [10.244.0.0/16, 10.96.0.0/12, 192.168.1.0/24]"), report.changes().get(0).description());
    }

    @Test
    void anUpdateThatAppendsIsCleanedUpByRemovingBothCopies() throws Exception {
        hns.update(BRIDGE, FakeHcn.UpdateBehaviour.APPEND);

        backend.sync(DEFAULTS);

        // HNS appended the new policy: the old one and the appended one are removed as read, the new one added.
        List<ObjectNode> policies = hns.policies(BRIDGE);
        assertEquals(List.of(sent(BRIDGE, BRIDGE_UPDATE),
                sent(BRIDGE, request("Remove", BRIDGE_NAT_BEFORE, BRIDGE_NAT)),
                sent(BRIDGE, request("Add", BRIDGE_NAT))), hns.sent.subList(0, 3));
        assertEquals(3, policies.size());
        assertEquals(DEFAULT_EXCEPTIONS, hns.exceptions(BRIDGE, IpFamily.IPV4));
    }

    @Test
    void anUpdateThatDropsOtherPoliciesHasThemAddedBack() throws Exception {
        List<ObjectNode> before = hns.policies(BRIDGE);
        hns.update(BRIDGE, FakeHcn.UpdateBehaviour.REPLACE_ALL);

        backend.sync(DEFAULTS);

        String route1 = Json.compact(before.get(1));
        String route2 = Json.compact(before.get(2));
        assertEquals(List.of(sent(BRIDGE, BRIDGE_UPDATE), sent(BRIDGE, request("Remove", BRIDGE_NAT)),
                sent(BRIDGE, request("Add", BRIDGE_NAT, route1, route2))), hns.sent.subList(0, 3));
        List<ObjectNode> after = hns.policies(BRIDGE);
        assertEquals(3, after.size());
        assertTrue(after.containsAll(before.subList(1, 3)));
        assertEquals(DEFAULT_EXCEPTIONS, hns.exceptions(BRIDGE, IpFamily.IPV4));
    }

    @Test
    void aNotFoundAnswerToAModifyIsAFailedStepWhenTheEndpointStillExists() throws Exception {
        // 0x80070490 may mean "policy not found" from a modify; only a failing query proves the endpoint gone.
        hns.answerModify(BRIDGE, HResult.E_WIN32_NOT_FOUND);

        HnsSyncException e = assertThrows(HnsSyncException.class, () -> backend.sync(DEFAULTS));

        assertEquals(1L, e.partial().countsByKey().get("endpoints_failed"));
        assertEquals(0L, e.partial().countsByKey().get("endpoints_vanished"));
        assertTrue(e.getMessage().contains("Update refused: HcnModifyEndpoint failed: 0x80070490 (Win32 ERROR_NOT_FOUND)"),
                e.getMessage());
    }

    @Test
    void anAddRefusedAfterRemovePutsTheOldPolicyBack() throws Exception {
        List<ObjectNode> before = hns.policies(BRIDGE);
        hns.update(BRIDGE, FakeHcn.UpdateBehaviour.REFUSE);
        hns.refuseAdds(BRIDGE, 1);

        HnsSyncException e = assertThrows(HnsSyncException.class, () -> backend.sync(DEFAULTS));

        assertEquals(List.of(sent(BRIDGE, BRIDGE_UPDATE), sent(BRIDGE, request("Remove", BRIDGE_NAT_BEFORE)),
                sent(BRIDGE, request("Add", BRIDGE_NAT)), sent(BRIDGE, request("Add", BRIDGE_NAT_BEFORE))),
                hns.sent.subList(0, 4));
        assertTrue(hns.policies(BRIDGE).containsAll(before), "the pod keeps its outbound NAT as it was");
        assertTrue(e.getMessage().contains("the removed OutBoundNAT was added back as it was"), e.getMessage());
        assertEquals("endpoint_failed", e.partial().changes().get(0).kind());
        // The others were still brought in line.
        assertEquals(DEFAULT_EXCEPTIONS, hns.exceptions(OVERLAY, IpFamily.IPV4));
        assertEquals(2L, e.partial().countsByKey().get("endpoints_changed"));
    }

    @Test
    void whenPuttingTheOldPolicyBackFailsTooTheMessageSaysSoAndShowsIt() {
        hns.update(BRIDGE, FakeHcn.UpdateBehaviour.REFUSE);
        hns.refuseAdds(BRIDGE, 2);

        HnsSyncException e = assertThrows(HnsSyncException.class, () -> backend.sync(DEFAULTS));

        assertTrue(e.getMessage().contains("the endpoint is left WITHOUT it; it was [" + BRIDGE_NAT_BEFORE + "]"),
                e.getMessage());
    }

    @Test
    void anEndpointThatVanishesBetweenListAndOpenIsSkipped() throws Exception {
        hns.vanishAfterList(BRIDGE);

        SyncReport report = backend.sync(DEFAULTS);

        assertEquals(List.of(sent(OVERLAY, OVERLAY_UPDATE), sent(AZURE, AZURE_UPDATE)), hns.sent);
        assertEquals(counts(6, 2, 0, 1, 2, 0), endpointCounts(report));
    }

    @Test
    void anEndpointThatVanishesMidUpdateIsSkipped() throws Exception {
        hns.vanishOnModify(BRIDGE);

        SyncReport report = backend.sync(DEFAULTS);

        assertEquals(sent(BRIDGE, BRIDGE_UPDATE), hns.sent.get(0));
        assertEquals(1L, report.countsByKey().get("endpoints_vanished"));
        assertEquals(0L, report.countsByKey().get("endpoints_failed"));
    }

    @Test
    void oneFailingEndpointDoesNotStopTheOthersButFailsThePass() {
        hns.fail(OVERLAY, 0x80070005);

        HnsSyncException e = assertThrows(HnsSyncException.class, () -> backend.sync(DEFAULTS));

        assertEquals(List.of(sent(BRIDGE, BRIDGE_UPDATE), sent(AZURE, AZURE_UPDATE)), hns.sent);
        assertEquals("1 of 7 HNS endpoints not in line: endpoint " + OVERLAY + ": HcnQueryEndpointProperties failed: "
                + "0x80070005 (Win32 ERROR_ACCESS_DENIED); error record: {\"Success\":false,\"Error\":\"injected\"}",
                e.getMessage());
        assertEquals(counts(7, 2, 1, 0, 2, 0), endpointCounts(e.partial()));
        assertEquals(List.of("endpoint_updated", "endpoint_failed", "endpoint_updated"),
                e.partial().changes().stream().map(Change::kind).toList());
    }

    @Test
    void twoOutboundNatsOfOneFamilyAreNotGuessedAt() throws Exception {
        FakeHcn odd = new FakeHcn();
        odd.add("{\"ID\":\"11111111-2222-4333-8444-555555555555\",\"Policies\":["
                + "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.0.0.0/8\"]}},"
                + "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"11.0.0.0/8\"]}}]}");

        HnsSyncException e = assertThrows(HnsSyncException.class,
                () -> new HnsBackend(odd, "fake", Optional.empty()).sync(DEFAULTS));

        assertEquals(List.of(), odd.sent);
        assertTrue(e.getMessage().contains("2 IPv4 OutBoundNAT policies where at most one is expected; left alone"),
                e.getMessage());
    }

    @Test
    void aMissingDllFailsThePassWithAClearMessage() {
        hns.dllMissing = true;

        BackendException e = assertThrows(BackendException.class, () -> backend.sync(DEFAULTS));

        assertEquals("cannot list HNS endpoints: computenetwork.dll could not be loaded (java.lang.UnsatisfiedLinkError: "
                + "Unable to load library 'computenetwork'); the HCN API needs Windows Server 2019 or later (HNS 9.2+) "
                + "with the Containers feature", e.getMessage());
    }

    @Test
    void aFailedEnumerateFailsThePass() {
        hns.enumerateFailure = 0x80070422;

        BackendException e = assertThrows(BackendException.class, () -> backend.sync(DEFAULTS));

        assertEquals("cannot list HNS endpoints: HcnEnumerateEndpoints failed: 0x80070422 (Win32 error 1058)",
                e.getMessage());
    }

    @Test
    void detailsCarryTheLastPassCountsEvenWhenItFailed() {
        assertEquals(Map.of("hnsApi", "v2", "hcn", "fake", "cniConf", "none"), backend.details());
        hns.fail(AZURE, 0x80004005);

        assertThrows(HnsSyncException.class, () -> backend.sync(DEFAULTS));

        assertEquals("1", backend.details().get("endpoints_failed"));
        assertEquals("2", backend.details().get("endpoints_changed"));
        assertEquals("2", backend.details().get("strategy_update"));
        assertEquals("v2", backend.details().get("hnsApi"));
    }

    @Test
    void planPrintsTheUpdateRequestsAndSendsNothing() throws Exception {
        String plan = backend.plan(DEFAULTS);

        assertEquals("{\"endpoint\":\"" + BRIDGE + "\",\"request\":" + BRIDGE_UPDATE + "}\n"
                + "{\"endpoint\":\"" + OVERLAY + "\",\"request\":" + OVERLAY_UPDATE + "}\n"
                + "{\"endpoint\":\"" + AZURE + "\",\"request\":" + AZURE_UPDATE + "}\n", plan);
        assertEquals(List.of(), hns.sent);
        backend.sync(DEFAULTS);
        assertEquals("", backend.plan(DEFAULTS));
    }

    @Test
    void cleanupChangesNothing() throws Exception {
        assertEquals(SyncReport.UNCHANGED, backend.cleanup());
        assertEquals("", backend.planCleanup());
        assertEquals(List.of(), hns.sent);
    }

    static Map<String, Long> counts(long checked, long changed, long failed, long vanished, long update, long removeAdd) {
        return Map.of("endpoints_checked", checked, "endpoints_changed", changed, "endpoints_failed", failed,
                "endpoints_vanished", vanished, "strategy_update", update, "strategy_remove_add", removeAdd);
    }

    static Map<String, Long> endpointCounts(SyncReport report) {
        Map<String, Long> all = report.countsByKey();
        return Map.of("endpoints_checked", all.get("endpoints_checked"), "endpoints_changed", all.get("endpoints_changed"),
                "endpoints_failed", all.get("endpoints_failed"), "endpoints_vanished", all.get("endpoints_vanished"),
                "strategy_update", all.get("strategy_update"), "strategy_remove_add", all.get("strategy_remove_add"));
    }
}
