package org.ipmasq.agent.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.ipmasq.agent.core.AgentStatus;

/**
 * Lets an agent assembled outside {@link AgentDaemon} (tests with their own command runner, an
 * embedding) report through the same health endpoints.
 */
@ApplicationScoped
public class AgentStateAccess {

    @Inject
    AgentState state;

    public void publish(AgentStatus status) {
        state.publish(status);
    }
}
