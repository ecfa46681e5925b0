package org.ipmasq.agent.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.ipmasq.agent.core.ConfigSource;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.jboss.logging.Logger;

/**
 * The document straight from the ConfigMap, through an informer limited to that one object
 * (field selector on its name, so the least RBAC with resourceNames works). Every add, update
 * or delete calls {@code onChange} at once, so a change is applied without waiting for the
 * kubelet's file refresh or the next resync.
 *
 * <p>When the API becomes unreachable the informer reconnects with backoff on its own; meanwhile
 * the last ConfigMap seen keeps being served (marked stale in {@link #status()}), never the
 * defaults.
 */
public final class ApiConfigSource implements ConfigSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApiConfigSource.class);

    /** What the informer last saw; {@code seen} is false until the first list succeeded. */
    private record Seen(boolean seen, ConfigMap configMap) {
    }

    private final ConfigMapRef ref;
    private final Clock clock;
    private final SharedIndexInformer<ConfigMap> informer;
    private final AtomicReference<Seen> latest = new AtomicReference<>(new Seen(false, null));
    private final AtomicReference<Instant> staleSince = new AtomicReference<>();

    public ApiConfigSource(KubernetesClient client, ConfigMapRef ref, Runnable onChange, Clock clock) {
        this.ref = ref;
        this.clock = clock;
        this.informer = client.configMaps().inNamespace(ref.namespace()).withName(ref.name()).runnableInformer(0);
        // Retry whatever went wrong: an agent must outlive API outages, however long.
        informer.exceptionHandler((started, failure) -> {
            LOG.debugf("ConfigMap %s watch failed, retrying: %s", ref, failure.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap configMap) {
                changed(configMap);
                onChange.run();
            }

            @Override
            public void onUpdate(ConfigMap before, ConfigMap after) {
                changed(after);
                onChange.run();
            }

            @Override
            public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
                changed(null);
                onChange.run();
            }

            @Override
            public void onNothing() {
                // The first list found no ConfigMap: defaults, as the original agent does without its file.
                changed(null);
                onChange.run();
            }
        });
    }

    private void changed(ConfigMap configMap) {
        latest.set(new Seen(true, configMap));
    }

    /**
     * Starts watching and waits up to {@code wait} for the first list, or until {@code abandon}
     * completes (the agent is being stopped: a SIGTERM must not wait for an unreachable API).
     *
     * @return whether the API answered in time; when not, the informer keeps trying in the background
     */
    public boolean start(Duration wait, CompletionStage<?> abandon) {
        CompletableFuture<Void> firstList = informer.start().toCompletableFuture();
        try {
            CompletableFuture.anyOf(firstList, abandon.toCompletableFuture()).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (!firstList.isDone()) {
                return false;
            }
            firstList.get();
            // The handlers normally record the first list; this covers a start that raced them.
            latest.updateAndGet(s -> s.seen() ? s : new Seen(true, informer.getStore().getByKey(storeKey())));
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            LOG.warnf("ConfigMap %s: %s", ref, e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String storeKey() {
        return ref.namespace() + "/" + ref.name();
    }

    /** Whether the ConfigMap (or its absence) has been seen at least once. */
    public boolean synced() {
        return latest.get().seen();
    }

    @Override
    public Optional<String> fetch() {
        ConfigMap configMap = latest.get().configMap();
        if (configMap == null || configMap.getData() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(configMap.getData().get(ref.key()));
    }

    /** The ConfigMap as last seen, for Events about it. */
    public Optional<ConfigMap> current() {
        return Optional.ofNullable(latest.get().configMap());
    }

    @Override
    public ConfigSourceStatus status() {
        return ConfigSourceStatus.api(ref.toString(), observeStaleness());
    }

    /**
     * Looks at the informer: the first look that finds it not watching starts the stale period,
     * the first that finds it watching again ends it. The informer has no callback for either.
     */
    private Optional<Instant> observeStaleness() {
        if (informer.isWatching()) {
            staleSince.set(null);
            return Optional.empty();
        }
        return Optional.of(staleSince.updateAndGet(s -> s == null ? clock.instant() : s));
    }

    @Override
    public void close() {
        informer.stop();
    }
}
