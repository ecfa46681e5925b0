package org.ipmasq.agent.runtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipmasq.agent.core.AgentStatus;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.ipmasq.agent.core.StatusSnapshot;
import org.junit.jupiter.api.Test;

/**
 * /q/health as a kubelet probe and an operator see it: liveness speaks of the loop, readiness of
 * the node and its config, and the combined answer carries each fact once.
 */
@QuarkusTest
class HealthEndpointTest {

    /** What the liveness check carries: the loop's progress and the limit it is held to. */
    static final Set<String> LIVE_FIELDS = Set.of("lastPass", "passes", "resyncInterval", "stuckAfter");
    /** What the readiness check carries: the config in effect, the backend, success and error. */
    static final Set<String> READY_FIELDS = Set.of("lastSuccessfulSync", "successes", "lastError", "configSource",
            "configHash", "backend", "iptablesMode");

    @Inject
    AgentState state;

    private static StatusSnapshot snapshot(Instant lastAttempt, Instant lastSuccess, String configError) {
        return new StatusSnapshot(Instant.now().minusSeconds(600), "iptables", Map.of("iptablesMode", "nft"),
                ConfigSourceStatus.file("/etc/config/ip-masq-agent"), Optional.of("abc123def456"), Duration.ofSeconds(10),
                Optional.ofNullable(lastAttempt), Optional.ofNullable(lastSuccess), Optional.ofNullable(configError),
                Optional.empty(), 7, 6);
    }

    /** The data of the one check an endpoint returns. */
    private static Map<String, Object> data(String path, int status) {
        JsonPath body = given().get(path).then().statusCode(status).extract().jsonPath();
        List<Map<String, Object>> checks = body.getList("checks");
        assertEquals(1, checks.size(), () -> path + " carries one check: " + body.prettify());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) checks.get(0).get("data");
        return data;
    }

    @Test
    void liveSpeaksOfTheLoopAndReadyOfTheNodeAndTheConfig() {
        Instant now = Instant.now();
        state.publish(new AgentStatus(snapshot(now, now, null)));

        Map<String, Object> live = data("/q/health/live", 200);
        assertEquals(LIVE_FIELDS, live.keySet());
        assertEquals(now.toString(), live.get("lastPass"));
        assertEquals(7, live.get("passes"));
        assertEquals("10s", live.get("resyncInterval"));
        assertEquals("30s", live.get("stuckAfter"));

        Map<String, Object> ready = data("/q/health/ready", 200);
        assertEquals(READY_FIELDS, ready.keySet());
        assertEquals(now.toString(), ready.get("lastSuccessfulSync"));
        assertEquals(6, ready.get("successes"));
        assertEquals("none", ready.get("lastError"));
        assertEquals("file:/etc/config/ip-masq-agent", ready.get("configSource"));
        assertEquals("abc123def456", ready.get("configHash"));
        assertEquals("iptables", ready.get("backend"));
        assertEquals("nft", ready.get("iptablesMode"));
    }

    @Test
    void theCombinedAnswerCarriesEachFactOnce() {
        Instant now = Instant.now();
        state.publish(new AgentStatus(snapshot(now, now, null)));
        JsonPath body = given().get("/q/health").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> checks = body.getList("checks");
        assertEquals(2, checks.size(), body::prettify);
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> check : checks) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) check.get("data");
            keys.addAll(data.keySet());
        }
        Set<String> distinct = new HashSet<>(keys);
        assertEquals(distinct.size(), keys.size(), () -> "a fact printed twice: " + keys);
        Set<String> expected = new HashSet<>(LIVE_FIELDS);
        expected.addAll(READY_FIELDS);
        assertEquals(expected, distinct);
    }

    @Test
    void rejectedConfigShowsInReadinessButKeepsThePodAliveAndReady() {
        Instant now = Instant.now();
        state.publish(new AgentStatus(snapshot(now, now, "nonMasqueradeCIDRs[0]: invalid CIDR \"abcdefg\"")));
        assertEquals("nonMasqueradeCIDRs[0]: invalid CIDR \"abcdefg\"", data("/q/health/ready", 200).get("lastError"));
        assertTrue(!data("/q/health/live", 200).containsKey("lastError"), "liveness is about the loop only");
    }

    @Test
    void notReadyBeforeTheFirstSuccess() {
        state.publish(new AgentStatus(snapshot(Instant.now(), null, null)));
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        assertEquals("never", data("/q/health/ready", 503).get("lastSuccessfulSync"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void liveIsDownOnlyWhenNoPassCompletedForThreeIntervals() {
        // Interval 10 s: 29 s without a pass is fine, 31 s is a stuck loop.
        Instant stillFine = Instant.now().minusSeconds(29);
        state.publish(new AgentStatus(snapshot(stillFine, stillFine, null)));
        given().get("/q/health/live").then().statusCode(200);
        Instant stuck = Instant.now().minusSeconds(31);
        state.publish(new AgentStatus(snapshot(stuck, stuck, null)));
        assertEquals(stuck.toString(), data("/q/health/live", 503).get("lastPass"));
        // A stuck loop says nothing about the node's rules: readiness keeps its own answer.
        given().get("/q/health/ready").then().statusCode(200);
    }
}
