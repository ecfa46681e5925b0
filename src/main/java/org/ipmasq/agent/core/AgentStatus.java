package org.ipmasq.agent.core;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** Holder of the current {@link StatusSnapshot}; one per agent, passed to whoever needs it. */
public final class AgentStatus {

    private final AtomicReference<StatusSnapshot> current;

    public AgentStatus(StatusSnapshot initial) {
        this.current = new AtomicReference<>(initial);
    }

    public StatusSnapshot get() {
        return current.get();
    }

    void update(UnaryOperator<StatusSnapshot> change) {
        current.updateAndGet(change);
    }
}
