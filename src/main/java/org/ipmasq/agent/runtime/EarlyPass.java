package org.ipmasq.agent.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.ConfigSourceMode;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.ConfigSource;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.ipmasq.agent.core.ConfigSources;
import org.ipmasq.agent.core.FileSources;
import org.ipmasq.agent.core.SyncOutcome;
import org.ipmasq.agent.exec.CommandRunner;
import org.ipmasq.agent.kube.ConfigMapRef;
import org.ipmasq.agent.kube.ConfigMapSnapshot;
import org.ipmasq.agent.kube.KubeCredentials;

/**
 * The daemon's first pass, run before Quarkus boots. Booting (HTTP server, metrics, scheduler,
 * the Kubernetes client and its informers) takes a second or more even with the AOT cache, and
 * the rules need none of it: they reach the kernel about as soon as a one-shot run puts them
 * there, and health and metrics come up right after. Running the pass beside the boot instead was
 * measured slower (docs/benchmarks.md, "Footprint"): both halves load classes through the same
 * class loader and wait on each other.
 *
 * <p>Two kinds of pass:
 * <ul>
 * <li>every source a file: the daemon takes the agent over with the pass's outcome
 *     ({@link #claim}), so health, metrics and the loop carry on from it instead of repeating it;
 * <li>the API in play, in a pod: the ConfigMaps are read with one GET each through the service
 *     account ({@link ConfigMapSnapshot}). The daemon then builds its own agent on informers
 *     and keeps only the outcome: its first pass finds the kernel in line and writes nothing,
 *     unless the ConfigMap was edited in between. Without an answer (API down, RBAC, a
 *     kubeconfig rather than a pod) no pass runs early and the daemon waits for the client as
 *     before.
 * </ul>
 *
 * <p>Quarkus creates the application object itself, so a value made before the boot can reach it
 * only through a static: this one cell, written once by {@code Main} and emptied by the daemon.
 */
final class EarlyPass {

    private static final AtomicReference<EarlyPass> WAITING = new AtomicReference<>();
    /** Why no pass ran before the boot, for the daemon to log once logging is set up. */
    private static final AtomicReference<String> WHY_NONE = new AtomicReference<>();
    /** Per connection and per read: an API slower than this is left to the client's own wait. */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * What the daemon takes over: the agent the pass ran in, how it went, and whether the daemon
     * carries on with that agent (files) or only with its outcome (the ConfigMaps as read once).
     */
    record Handover(AgentAssembly agent, SyncOutcome outcome, Instant finishedAt, boolean fromSnapshot) {
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
     * Whether a pass can run on files before the boot: every source is a file. In auto mode that
     * is so only without cluster credentials, since with them the API's copy decides.
     */
    static boolean eligible(AgentOptions options, Supplier<KubernetesClient> clientIfCredentials) {
        return !options.runMode().oneShot() && (options.configSource() == ConfigSourceMode.FILE
                || (options.configSource() == ConfigSourceMode.AUTO && clientIfCredentials == null));
    }

    /**
     * Runs the pass now, if one can run, and leaves it for the daemon to {@link #claim}, or the
     * reason none ran for it to {@link #whyNone}.
     *
     * @param inCluster the pod's API, when the agent runs in one
     */
    static void runBeforeBoot(AgentOptions options, Supplier<KubernetesClient> clientIfCredentials,
            Optional<KubeCredentials.InClusterEndpoint> inCluster, CommandRunner runner, Clock clock) {
        if (options.runMode().oneShot()) {
            return;
        }
        if (eligible(options, clientIfCredentials)) {
            WAITING.set(run(options, runner, clock));
        } else if (inCluster.isEmpty()) {
            WHY_NONE.set("the API is reached through a kubeconfig, not from a pod");
        } else {
            CompletableFuture<List<ConfigSource>> reading = ConfigMapSnapshot.readInBackground(inCluster.get(),
                    options.configMaps(), SNAPSHOT_TIMEOUT);
            ConfigSources read = new ReadAhead(reading, options.configMaps());
            // The backend is set up (its probes run) while the read is under way.
            EarlyPass pass = prepare(options, read, true, runner, clock);
            try {
                reading.get();
            } catch (ExecutionException e) {
                pass.handover.ifPresent(h -> h.agent().close());
                WHY_NONE.set("reading the ConfigMaps directly failed: " + e.getCause());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            WAITING.set(pass.runPass(clock));
        }
    }

    /**
     * The ConfigMaps being read: their status is known from the refs alone, their list is asked
     * for only once the read has succeeded ({@link #runBeforeBoot} makes sure of that).
     */
    private record ReadAhead(CompletableFuture<List<ConfigSource>> reading, List<ConfigMapRef> refs)
            implements ConfigSources {

        @Override
        public List<ConfigSource> list() {
            return reading.join();
        }

        @Override
        public ConfigSourceStatus status() {
            return ConfigSources.combined(refs.stream()
                    .map(ref -> ConfigSourceStatus.api(ref.toString(), Optional.<java.time.Instant>empty())).toList());
        }
    }

    /** Why {@link #runBeforeBoot} ran no pass, once. */
    static Optional<String> whyNone() {
        return Optional.ofNullable(WHY_NONE.getAndSet(null));
    }

    /** As {@link #runBeforeBoot} for files alone (tests). */
    static void runBeforeBoot(AgentOptions options, CommandRunner runner, Clock clock) {
        WAITING.set(run(options, runner, clock));
    }

    /** Builds the agent on the options' files and runs one pass. */
    static EarlyPass run(AgentOptions options, CommandRunner runner, Clock clock) {
        return run(options, new FileSources(options.configPath()), false, runner, clock);
    }

    /** Builds the agent on {@code sources} and runs one pass; a backend that cannot be set up is kept for the daemon to report. */
    static EarlyPass run(AgentOptions options, ConfigSources sources, boolean fromSnapshot, CommandRunner runner,
            Clock clock) {
        return prepare(options, sources, fromSnapshot, runner, clock).runPass(clock);
    }

    /** Builds the agent; its handover holds no outcome until {@link #runPass}. */
    private static EarlyPass prepare(AgentOptions options, ConfigSources sources, boolean fromSnapshot,
            CommandRunner runner, Clock clock) {
        ForwardingListener listener = new ForwardingListener();
        try {
            AgentAssembly agent = AgentAssembly.over(sources, options, runner, clock, listener);
            return new EarlyPass(Optional.of(new Handover(agent, null, clock.instant(), fromSnapshot)),
                    Optional.empty(), listener);
        } catch (BackendException e) {
            return new EarlyPass(Optional.empty(), Optional.of(e), listener);
        }
    }

    /** Runs the agent's one pass, when there is an agent. */
    private EarlyPass runPass(Clock clock) {
        if (handover.isEmpty()) {
            return this;
        }
        AgentAssembly agent = handover.get().agent();
        SyncOutcome outcome = agent.engine().runOnce();
        return new EarlyPass(Optional.of(new Handover(agent, outcome, clock.instant(), handover.get().fromSnapshot())),
                failure, listener);
    }

    /** The pass Main ran, once; empty when none was (the API not reached, tests that start the daemon). */
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
