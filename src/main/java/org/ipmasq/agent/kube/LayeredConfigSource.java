package org.ipmasq.agent.kube;

import java.util.Optional;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.core.ConfigSource;
import org.ipmasq.agent.core.ConfigSourceStatus;

/**
 * The API once it has answered, the mounted file until then. After the first answer the API
 * source is used for good: an outage then means its last ConfigMap (stale), not the file, so a
 * node never flips between two versions of the document.
 */
public final class LayeredConfigSource implements ConfigSource {

    private final ApiConfigSource api;
    private final ConfigSource file;

    public LayeredConfigSource(ApiConfigSource api, ConfigSource file) {
        this.api = api;
        this.file = file;
    }

    @Override
    public Optional<String> fetch() throws ConfigException {
        return api.synced() ? api.fetch() : file.fetch();
    }

    @Override
    public ConfigSourceStatus status() {
        return api.synced() ? api.status() : file.status().untilApiAnswers();
    }
}
