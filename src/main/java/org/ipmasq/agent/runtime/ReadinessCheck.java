package org.ipmasq.agent.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the rules were brought in line at least once since this process started. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    AgentState state;

    @Override
    public HealthCheckResponse call() {
        return StatusData.describe("ip-masq-agent-sync", state, s -> s.ready());
    }
}
