package org.ipmasq.agent.runtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.core.AgentStatus;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.ipmasq.agent.core.StatusSnapshot;
import org.junit.jupiter.api.Test;

/** /q/health as a kubelet probe and an operator see it, for each state the agent can be in. */
@QuarkusTest
class HealthEndpointTest {

    @Inject
    AgentState state;

    private static StatusSnapshot snapshot(Instant lastAttempt, Instant lastSuccess, String configError) {
        return new StatusSnapshot(Instant.now().minusSeconds(600), "iptables", Map.of("iptablesMode", "nft"),
                ConfigSourceStatus.file("/etc/config/ip-masq-agent"), Optional.of("abc123def456"), Duration.ofSeconds(10),
                Optional.ofNullable(lastAttempt), Optional.ofNullable(lastSuccess), Optional.ofNullable(configError),
                Optional.empty(), 7, 6);
    }

    @Test
    void readyAndLiveAfterASuccessfulSyncWithTheirData() {
        Instant now = Instant.now();
        state.publish(new AgentStatus(snapshot(now, now, null)));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.data.backend", hasItem("iptables"))
                .body("checks.data.iptablesMode", hasItem("nft"))
                .body("checks.data.configSource", hasItem("file:/etc/config/ip-masq-agent"))
                .body("checks.data.configHash", hasItem("abc123def456"))
                .body("checks.data.lastSuccessfulSync", hasItem(now.toString()))
                .body("checks.data.lastError", hasItem("none"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void rejectedConfigShowsInDataButKeepsThePodAliveAndReady() {
        Instant now = Instant.now();
        state.publish(new AgentStatus(snapshot(now, now, "nonMasqueradeCIDRs[0]: invalid CIDR \"abcdefg\"")));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.data.lastError", hasItem("nonMasqueradeCIDRs[0]: invalid CIDR \"abcdefg\""));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void notReadyBeforeTheFirstSuccess() {
        state.publish(new AgentStatus(snapshot(Instant.now(), null, null)));
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.data.lastSuccessfulSync", hasItem("never"));
    }

    @Test
    void liveIsDownOnlyWhenNoPassCompletedForThreeIntervals() {
        // Interval 10 s: 29 s without a pass is fine, 31 s is a stuck loop.
        state.publish(new AgentStatus(snapshot(Instant.now().minusSeconds(29), Instant.now().minusSeconds(29), null)));
        given().get("/q/health/live").then().statusCode(200);
        state.publish(new AgentStatus(snapshot(Instant.now().minusSeconds(31), Instant.now().minusSeconds(31), null)));
        given().get("/q/health/live").then().statusCode(503).body("status", equalTo("DOWN"));
    }
}
