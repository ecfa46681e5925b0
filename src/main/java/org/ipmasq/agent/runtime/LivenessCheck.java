package org.ipmasq.agent.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.ipmasq.agent.config.GoDuration;
import org.ipmasq.agent.core.StatusSnapshot;

/**
 * Is the sync loop alive? DOWN only when no pass has finished for three intervals: the loop is
 * stuck (a pass that never returns, a dead worker) and a restart is the cure. A rejected config
 * or a failing iptables is not, so they show in the readiness check and never here. Its data is
 * about the loop only: when the last pass finished, how many ran, and the limit it is held to.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    static final String NAME = "ip-masq-agent-loop";
    static final int STUCK_AFTER_INTERVALS = 3;

    @Inject
    AgentState state;

    Clock clock = Clock.systemUTC();

    @Override
    public HealthCheckResponse call() {
        // Until the agent is assembled (at most the API's first-answer wait) there is no loop to
        // judge; start-up is bounded, so that is not a reason for a restart.
        return state.snapshot().map(this::describe)
                .orElseGet(() -> HealthCheckResponse.named(NAME).up().build());
    }

    private HealthCheckResponse describe(StatusSnapshot s) {
        return HealthCheckResponse.named(NAME).status(alive(s))
                .withData("lastPass", s.lastAttempt().map(Instant::toString).orElse("never"))
                .withData("passes", s.attempts())
                .withData("resyncInterval", GoDuration.format(s.resyncInterval()))
                .withData("stuckAfter", GoDuration.format(stuckAfter(s)))
                .build();
    }

    boolean alive(StatusSnapshot s) {
        Instant lastProgress = s.lastAttempt().orElse(s.startedAt());
        return Duration.between(lastProgress, clock.instant()).compareTo(stuckAfter(s)) <= 0;
    }

    private static Duration stuckAfter(StatusSnapshot s) {
        return s.resyncInterval().multipliedBy(STUCK_AFTER_INTERVALS);
    }
}
