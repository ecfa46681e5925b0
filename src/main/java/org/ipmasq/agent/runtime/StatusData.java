package org.ipmasq.agent.runtime;

import java.util.function.Predicate;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.ipmasq.agent.config.GoDuration;
import org.ipmasq.agent.core.StatusSnapshot;

/** The data both health checks carry, so an operator reading either sees the whole state. */
final class StatusData {

    private StatusData() {
    }

    static HealthCheckResponse describe(String name, AgentState state, Predicate<StatusSnapshot> up) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(name);
        return state.snapshot().map(s -> {
            builder.status(up.test(s))
                    .withData("backend", s.backend())
                    .withData("configSource", s.configSource().description())
                    .withData("configHash", s.configHash().orElse("none"))
                    .withData("resyncInterval", GoDuration.format(s.resyncInterval()))
                    .withData("lastSuccessfulSync", s.lastSuccess().map(Object::toString).orElse("never"))
                    .withData("lastAttempt", s.lastAttempt().map(Object::toString).orElse("never"))
                    .withData("lastError", s.lastError().orElse("none"))
                    .withData("attempts", s.attempts())
                    .withData("successes", s.successes());
            s.backendDetails().forEach(builder::withData);
            return builder.build();
        }).orElseGet(() -> builder.down().withData("state", "starting").build());
    }
}
