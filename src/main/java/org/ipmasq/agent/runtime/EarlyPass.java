package org.ipmasq.agent.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.ConfigSourceMode;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.SyncOutcome;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * The daemon's first pass, run before Quarkus boots. Booting (HTTP server, metrics, scheduler)
 * takes most of a second even with the AOT cache, and the rules need none of it: on a node that
 * reads its config from files they reach the kernel about as soon as a one-shot run puts them
 * there, and health and metrics come up right after. Running the pass beside the boot instead was
 * measured slower (docs/benchmarks.md, "Footprint"): both halves load classes through the same
 * class loader and wait on each other.
 *
 * <p>Only for file sources: with the API in play the first pass waits for the API's answer
 * anyway, and the client comes from Quarkus. The daemon takes the agent over with the pass's
 * outcome ({@link #claim}), so health, metrics and the loop carry on from it instead of repeating
 * it.
 *
 * <p>Quarkus creates the application object itself, so a value made before the boot can reach it
 * only through a static: this one cell, written once by {@code Main} and emptied by the daemon.
 */
final class EarlyPass {

    private static final AtomicReference<EarlyPass> WAITING = new AtomicReference<>();

    /** What the daemon takes over: the agent the pass ran in, and how it went. */
    record Handover(AgentAssembly agent, SyncOutcome outcome, Instant finishedAt) {
    }

    private final Optional<Handover> handover;
    /** Why there is no agent: its backend could not be set up. */
    private final Optional<BackendException> failure;
    private final ForwardingListener listener;

    private EarlyPass(Optional<Handover> handover, Optional<BackendException> failure, ForwardingListener listener) {
        this.handover = handover;
        this.failure = failure;
        this.listener = listener;
    }

    /**
     * Whether a pass can run before the boot: every source is a file. In auto mode that is so only
     * without cluster credentials, since with them the API's copy decides.
     */
    static boolean eligible(AgentOptions options, Supplier<KubernetesClient> clientIfCredentials) {
        return !options.runMode().oneShot() && (options.configSource() == ConfigSourceMode.FILE
                || (options.configSource() == ConfigSourceMode.AUTO && clientIfCredentials == null));
    }

    /** Runs the pass now and leaves it for the daemon to {@link #claim}. */
    static void runBeforeBoot(AgentOptions options, CommandRunner runner, Clock clock) {
        WAITING.set(run(options, runner, clock));
    }

    /** Builds the agent and runs one pass; a backend that cannot be set up is kept for the daemon to report. */
    static EarlyPass run(AgentOptions options, CommandRunner runner, Clock clock) {
        ForwardingListener listener = new ForwardingListener();
        try {
            AgentAssembly agent = AgentAssembly.build(options, runner, null, clock, listener);
            SyncOutcome outcome = agent.engine().runOnce();
            return new EarlyPass(Optional.of(new Handover(agent, outcome, clock.instant())), Optional.empty(), listener);
        } catch (BackendException e) {
            return new EarlyPass(Optional.empty(), Optional.of(e), listener);
        }
    }

    /** The pass Main ran, once; empty when none was (the API in use, tests that start the daemon). */
    static Optional<EarlyPass> claim() {
        return Optional.ofNullable(WAITING.getAndSet(null));
    }

    /**
     * Hands the agent over; from here on its loop reports every outcome to {@code afterPass}.
     *
     * @throws BackendException when the backend could not be set up (the daemon stops, as it
     *         would have had it tried itself)
     */
    Handover takeOver(Consumer<SyncOutcome> afterPass) throws BackendException {
        if (failure.isPresent()) {
            throw failure.get();
        }
        listener.target = afterPass;
        return handover.orElseThrow();
    }

    /**
     * The agent's listener is fixed when it is built, before the daemon exists; this one passes
     * outcomes on to whoever the daemon names. None is lost before that: the loop runs no pass
     * until the daemon first triggers it (file sources have no watch of their own).
     */
    private static final class ForwardingListener implements Consumer<SyncOutcome> {
        volatile Consumer<SyncOutcome> target = outcome -> { };

        @Override
        public void accept(SyncOutcome outcome) {
            target.accept(outcome);
        }
    }
}
