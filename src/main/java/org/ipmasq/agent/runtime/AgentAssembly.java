package org.ipmasq.agent.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.CommandLineBackendSettings;
import org.ipmasq.agent.cli.ConfigSourceMode;
import org.ipmasq.agent.config.MasqConfig;
import org.ipmasq.agent.config.ParseContext;
import org.ipmasq.agent.core.AgentStatus;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Backends;
import org.ipmasq.agent.core.ConfigSources;
import org.ipmasq.agent.core.FileSources;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.core.SourceState;
import org.ipmasq.agent.core.StatusSnapshot;
import org.ipmasq.agent.core.SyncEngine;
import org.ipmasq.agent.core.SyncLoop;
import org.ipmasq.agent.core.SyncOutcome;
import org.ipmasq.agent.exec.CommandRunner;
import org.ipmasq.agent.kube.ApiConfigSource;
import org.ipmasq.agent.kube.InvalidConfigEvents;
import org.ipmasq.agent.kube.KubeCredentials;
import org.ipmasq.agent.kube.ApiSources;
import org.ipmasq.agent.kube.LayeredSources;
import org.jboss.logging.Logger;

/**
 * The agent's parts wired from the command line: backend, config source (API, file or both),
 * status, sync engine and loop, Events. Shared by one-shot runs, the daemon and the tests, which
 * hand in their own command runner and Kubernetes client.
 */
public final class AgentAssembly implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentAssembly.class);
    /** How long start-up waits for the API's first answer before it works from the file. */
    static final Duration API_FIRST_ANSWER = Duration.ofSeconds(5);

    private final MasqBackend backend;
    private final AgentStatus status;
    private final SyncEngine engine;
    private final Optional<ApiSources> api;
    /** Whether the API sources are the ones in use now (Events are about ConfigMaps only then). */
    private final BooleanSupplier usingApi;
    private final Optional<InvalidConfigEvents> events;
    private final SyncLoop loop;

    private AgentAssembly(MasqBackend backend, AgentStatus status, SyncEngine engine, Optional<ApiSources> api,
            BooleanSupplier usingApi, Optional<InvalidConfigEvents> events,
            Consumer<SyncOutcome> listener, LoopHolder holder) {
        this.backend = backend;
        this.status = status;
        this.engine = engine;
        this.api = api;
        this.usingApi = usingApi;
        this.events = events;
        this.loop = new SyncLoop(engine::runOnce, outcome -> {
            reportRejection(outcome);
            listener.accept(outcome);
        });
        holder.loop = loop;
    }

    /** Lets the API source trigger the loop that is created after it. */
    private static final class LoopHolder {
        volatile SyncLoop loop;

        void trigger() {
            SyncLoop current = loop;
            if (current != null) {
                current.trigger();
            }
        }
    }

    /**
     * @param kubernetes a client for the API, asked for only when the API is to be used
     * @param listener hears every pass's outcome (the daemon re-arms its timer from it)
     */
    public static AgentAssembly build(AgentOptions options, CommandRunner runner, Supplier<KubernetesClient> kubernetes,
            Clock clock, Consumer<SyncOutcome> listener) throws BackendException {
        return build(options, runner, kubernetes, clock, listener, new CompletableFuture<>());
    }

    /** @param stopping completes when the agent is asked to stop; start-up then stops waiting for the API */
    public static AgentAssembly build(AgentOptions options, CommandRunner runner, Supplier<KubernetesClient> kubernetes,
            Clock clock, Consumer<SyncOutcome> listener, CompletionStage<?> stopping) throws BackendException {
        MasqBackend backend = backend(options, runner);
        ParseContext context = parseContext(options);
        LoopHolder holder = new LoopHolder();
        ConfigSources files = new FileSources(options.configPath());
        ConfigSources sources = files;
        BooleanSupplier usingApi = () -> false;
        Optional<ApiSources> api = Optional.empty();
        Optional<InvalidConfigEvents> events = Optional.empty();
        boolean useApi = options.configSource() == ConfigSourceMode.API
                || (options.configSource() == ConfigSourceMode.AUTO && kubernetes != null);
        if (useApi) {
            if (kubernetes == null) {
                throw new BackendException("--config-source=api but no cluster credentials were found "
                        + "(no service account, no KUBECONFIG, no ~/.kube/config)");
            }
            KubernetesClient client = kubernetes.get();
            ApiSources apiSources = new ApiSources(client, options.configMaps(), holder::trigger, clock);
            LOG.infof("waiting up to %ds for the API's first answer", API_FIRST_ANSWER.toSeconds());
            // When the agent is being stopped the wait ends at once, and there is nothing to warn about.
            if (!apiSources.start(API_FIRST_ANSWER, stopping) && !stopping.toCompletableFuture().isDone()) {
                LOG.warnf("the API did not answer within %ds; %s until it does", API_FIRST_ANSWER.toSeconds(),
                        options.configSource() == ConfigSourceMode.API ? "waiting, rules untouched"
                                : "using " + files.describe());
            }
            api = Optional.of(apiSources);
            usingApi = apiSources::synced;
            sources = options.configSource() == ConfigSourceMode.API ? apiSources : new LayeredSources(apiSources, files);
            events = Optional.of(new InvalidConfigEvents(client, nodeName(options), clock));
        }
        return assemble(backend, context, sources, api, usingApi, events, clock, listener, holder);
    }

    /**
     * The agent over sources read elsewhere (the ConfigMaps as read before the boot): no client,
     * no informers, no Events; the daemon's own agent reports what this one found.
     */
    static AgentAssembly over(ConfigSources sources, AgentOptions options, CommandRunner runner, Clock clock,
            Consumer<SyncOutcome> listener) throws BackendException {
        return assemble(backend(options, runner), parseContext(options), sources, Optional.empty(), () -> false, Optional.empty(), clock, listener,
                new LoopHolder());
    }

    private static MasqBackend backend(AgentOptions options, CommandRunner runner) throws BackendException {
        return Backends.installed().create(options.backend(), new CommandLineBackendSettings(options), runner);
    }

    private static ParseContext parseContext(AgentOptions options) {
        return ParseContext.of(options.enableIpv6(), options.nomasqAllReservedRanges());
    }

    private static AgentAssembly assemble(MasqBackend backend, ParseContext context, ConfigSources sources,
            Optional<ApiSources> api, BooleanSupplier usingApi, Optional<InvalidConfigEvents> events, Clock clock,
            Consumer<SyncOutcome> listener, LoopHolder holder) {
        AgentStatus status = new AgentStatus(StatusSnapshot.starting(clock.instant(), backend.name(),
                backend.details(), sources.status(), MasqConfig.defaults(context).resyncInterval()));
        SyncEngine engine = new SyncEngine(sources, context, backend, status, clock);
        return new AgentAssembly(backend, status, engine, api, usingApi, events, listener, holder);
    }

    /** A client only when there are credentials, so a run without a cluster never tries one. */
    static Supplier<KubernetesClient> clientIfCredentials(Supplier<KubernetesClient> client) {
        String home = System.getProperty("user.home");
        return KubeCredentials.present(System.getenv(), home == null ? null : Path.of(home)) ? client : null;
    }

    static String nodeName(AgentOptions options) {
        return options.nodeName()
                .or(() -> Optional.ofNullable(System.getenv("NODE_NAME")).filter(n -> !n.isBlank()))
                .orElseGet(() -> {
                    try {
                        return java.net.InetAddress.getLocalHost().getHostName();
                    } catch (java.net.UnknownHostException e) {
                        return "unknown-node";
                    }
                });
    }

    /** One Event per rejected ConfigMap, on that ConfigMap, about the version the pass judged. */
    private void reportRejection(SyncOutcome outcome) {
        if (outcome.configError().isEmpty() || events.isEmpty() || api.isEmpty() || !usingApi.getAsBoolean()) {
            return;
        }
        for (SourceState source : status.get().sources()) {
            if (source.rejected()) {
                api.get().byName(source.name()).flatMap(ApiConfigSource::lastRead).ifPresent(configMap ->
                        events.get().report(configMap, source.error().orElseThrow(), source.nodeSpecific()));
            }
        }
    }

    public MasqBackend backend() {
        return backend;
    }

    public AgentStatus status() {
        return status;
    }

    public SyncEngine engine() {
        return engine;
    }

    /** Asks the loop for a pass (timer tick, config change). */
    public void trigger() {
        loop.trigger();
    }

    @Override
    public void close() {
        loop.close();
        api.ifPresent(ApiSources::close);
    }
}
