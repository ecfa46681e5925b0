package org.ipmasq.agent.backend.hns;

/** What reconciling one endpoint came to. */
sealed interface EndpointOutcome {

    String id();

    /** Queried and already right, or not ours to change (remote, no OutBoundNAT). */
    record Unchanged(String id) implements EndpointOutcome {
    }

    /** Gone before or while it was handled (its pod was deleted): skipped, not a failure. */
    record Vanished(String id) implements EndpointOutcome {
    }

    /** Brought in line; {@code description} names the endpoint, the CIDRs and the strategy. */
    record Changed(String id, Strategy strategy, String description) implements EndpointOutcome {
    }

    /** Could not be read or brought in line; {@code description} says why. */
    record Failed(String id, String description) implements EndpointOutcome {
    }
}
