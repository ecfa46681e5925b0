package org.ipmasq.agent.core;

import java.util.Objects;
import java.util.Optional;

/**
 * How one config source is doing, for health data, metrics and Events.
 *
 * @param name the source's configured name (the label of its metrics)
 * @param description where it comes from, e.g. {@code api:kube-system/ip-masq-agent#config}
 * @param present whether the source has a document now (a missing ConfigMap or file is not)
 * @param hash the hash of this source's version in effect (its last good one while it is
 *     rejected); empty when it contributes nothing
 * @param error why the current document was rejected; empty when it was accepted or is absent
 * @param nodeSpecific whether the error depends on this node's flags, so other nodes may accept
 *     the same document
 */
public record SourceStatus(String name, String description, boolean present, Optional<String> hash,
        Optional<String> error, boolean nodeSpecific) {

    public SourceStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(error, "error");
    }

    public boolean rejected() {
        return error.isPresent();
    }
}
