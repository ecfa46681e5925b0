package org.ipmasq.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.core.ConfigSource;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.ipmasq.agent.core.ConfigSources;
import org.jboss.logging.Logger;

/**
 * The configured ConfigMaps, the primary first: one informer each, every one limited to its own
 * object by a field selector on its name, so RBAC can list exactly these names.
 */
public final class ApiSources implements ConfigSources, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApiSources.class);

    private final List<ApiConfigSource> sources;

    public ApiSources(KubernetesClient client, List<ConfigMapRef> refs, Runnable onChange, Clock clock) {
        this.sources = refs.stream().map(ref -> new ApiConfigSource(client, ref, onChange, clock)).toList();
    }

    /**
     * Starts every watch and waits up to {@code wait} for all first lists, or until {@code abandon}
     * completes (the agent is being stopped: a SIGTERM must not wait for an unreachable API).
     *
     * @return whether the API answered for every ConfigMap in time; when not, the informers keep
     *     trying in the background
     */
    public boolean start(Duration wait, CompletionStage<?> abandon) {
        CompletableFuture<?>[] started = sources.stream().map(ApiConfigSource::start).toArray(CompletableFuture[]::new);
        CompletableFuture<Void> all = CompletableFuture.allOf(started);
        try {
            CompletableFuture.anyOf(all, abandon.toCompletableFuture()).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (!all.isDone()) {
                return false;
            }
            all.get();
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            LOG.warnf("ConfigMaps %s: %s", describe(), e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether every ConfigMap (or its absence) has been seen at least once. */
    public boolean synced() {
        return sources.stream().allMatch(ApiConfigSource::synced);
    }

    /** The source of the ConfigMap named {@code name}, if it is one of ours. */
    public java.util.Optional<ApiConfigSource> byName(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * @throws ConfigException until the API has answered for every ConfigMap: "not seen yet" is
     *     not "absent", and must not turn into the defaults on the node
     */
    @Override
    public List<ConfigSource> list() throws ConfigException {
        if (!synced()) {
            throw new ConfigException("waiting for the API's first answer about ConfigMap(s) "
                    + sources.stream().map(ApiConfigSource::name).collect(Collectors.joining(", ")));
        }
        return List.copyOf(sources);
    }

    @Override
    public ConfigSourceStatus status() {
        return ConfigSources.combined(sources.stream().map(ApiConfigSource::status).toList());
    }

    /** Stops every informer this set started. */
    @Override
    public void close() {
        sources.forEach(ApiConfigSource::close);
    }
}
