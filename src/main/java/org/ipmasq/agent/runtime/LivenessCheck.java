package org.ipmasq.agent.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.ipmasq.agent.core.StatusSnapshot;

/**
 * Down only when the sync loop itself is stuck: no pass completed for three intervals. A rejected
 * config or a failing iptables is not a reason to restart the pod, so it does not make this DOWN.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    static final int STUCK_AFTER_INTERVALS = 3;

    @Inject
    AgentState state;

    Clock clock = Clock.systemUTC();

    @Override
    public HealthCheckResponse call() {
        return StatusData.describe("ip-masq-agent-loop", state, this::alive);
    }

    boolean alive(StatusSnapshot s) {
        Instant lastProgress = s.lastAttempt().orElse(s.startedAt());
        Duration allowed = s.resyncInterval().multipliedBy(STUCK_AFTER_INTERVALS);
        return Duration.between(lastProgress, clock.instant()).compareTo(allowed) <= 0;
    }
}
