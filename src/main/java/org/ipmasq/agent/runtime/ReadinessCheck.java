package org.ipmasq.agent.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.ipmasq.agent.core.StatusSnapshot;

/**
 * Is the node in line with the config? UP once a pass brought the rules in line since this
 * process started. Its data says with what (config source and hash, backend and how it was
 * chosen), when (last successful sync) and what stands in the way (last error). A rejected
 * document leaves it UP: the last good config is still enforced, and lastError says why.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    static final String NAME = "ip-masq-agent-sync";

    @Inject
    AgentState state;

    @Override
    public HealthCheckResponse call() {
        return state.snapshot().map(ReadinessCheck::describe)
                .orElseGet(() -> HealthCheckResponse.named(NAME).down().withData("state", "starting").build());
    }

    private static HealthCheckResponse describe(StatusSnapshot s) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(NAME).status(s.ready())
                .withData("lastSuccessfulSync", s.lastSuccess().map(Instant::toString).orElse("never"))
                .withData("successes", s.successes())
                .withData("lastError", s.lastError().orElse("none"))
                .withData("configSource", s.configSource().description())
                .withData("configHash", s.configHash().orElse("none"))
                .withData("backend", s.backend());
        s.backendDetails().forEach(builder::withData);
        return builder.build();
    }
}
