package org.ipmasq.agent.runtime;

import io.quarkus.runtime.Quarkus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SIGTERM and SIGINT end the daemon the regular way and with exit status 0: SIGTERM is how a
 * DaemonSet pod is normally stopped, and the JVM's own 143 would read as a crash in pod status
 * and alerts. Start-up waits (the API's first answer) watch {@link #requested()} so that a
 * signal cuts them short and an unreachable API cannot hold a rollout.
 */
final class ShutdownSignals {

    private final CompletableFuture<Void> requested = new CompletableFuture<>();

    private ShutdownSignals() {
    }

    /** Replaces the JVM's handlers for TERM and INT; call once, first thing in the daemon. */
    static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> signals.request());
        }
        return signals;
    }

    private void request() {
        requested.complete(null);
        Quarkus.asyncExit(0);
    }

    /** Completes when a signal asked the agent to stop. */
    CompletionStage<Void> requested() {
        return requested;
    }

    boolean isRequested() {
        return requested.isDone();
    }
}
