package org.ipmasq.agent.runtime;

import io.quarkus.runtime.Quarkus;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SIGTERM and SIGINT end the daemon the regular way and with exit status 0: SIGTERM is how a
 * DaemonSet pod is normally stopped, and the JVM's own 143 would read as a crash in pod status
 * and alerts. A signal that arrives while start-up waits for the API's first answer cuts that
 * wait short (by interrupting the waiting thread), so an unreachable API cannot hold a rollout.
 */
final class ShutdownSignals {

    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicReference<Thread> interruptible = new AtomicReference<>();

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
        requested.set(true);
        Thread waiting = interruptible.get();
        if (waiting != null) {
            waiting.interrupt();
        }
        Quarkus.asyncExit(0);
    }

    boolean requested() {
        return requested.get();
    }

    /** A step a signal may interrupt; it must treat an interrupt as "give up waiting". */
    interface Step<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code step} on this thread so that a signal interrupts it; clears the interrupt after. */
    <T, E extends Exception> T interruptibly(Step<T, E> step) throws E {
        interruptible.set(Thread.currentThread());
        try {
            if (requested.get()) {
                Thread.currentThread().interrupt();
            }
            return step.run();
        } finally {
            interruptible.set(null);
            Thread.interrupted();
        }
    }
}
