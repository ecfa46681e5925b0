package org.ipmasq.agent.kube;

import java.util.List;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.core.ConfigSource;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.ipmasq.agent.core.ConfigSources;

/**
 * The API once it has answered for every ConfigMap, the mounted file (or directory) until then.
 * After that the API sources are used for good: an outage then means their last ConfigMaps
 * (stale), not the files, so a node never flips between two versions of the document.
 */
public final class LayeredSources implements ConfigSources {

    private final ApiSources api;
    private final ConfigSources files;

    public LayeredSources(ApiSources api, ConfigSources files) {
        this.api = api;
        this.files = files;
    }

    /** Whether the API is the source now (Events are about ConfigMaps only then). */
    public boolean usingApi() {
        return api.synced();
    }

    @Override
    public List<ConfigSource> list() throws ConfigException {
        return api.synced() ? api.list() : files.list();
    }

    @Override
    public ConfigSourceStatus status() {
        return api.synced() ? api.status() : files.status().untilApiAnswers();
    }
}
