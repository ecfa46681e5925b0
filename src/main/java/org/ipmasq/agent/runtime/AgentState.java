package org.ipmasq.agent.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.ipmasq.agent.core.AgentStatus;
import org.ipmasq.agent.core.StatusSnapshot;

/**
 * The bridge between the agent, built from the command line once Quarkus runs it, and the
 * beans that report on it (health checks). Empty until the agent has started.
 */
@ApplicationScoped
public class AgentState {

    private volatile AgentStatus status;

    void publish(AgentStatus status) {
        this.status = status;
    }

    public Optional<StatusSnapshot> snapshot() {
        AgentStatus current = status;
        return current == null ? Optional.empty() : Optional.of(current.get());
    }
}
