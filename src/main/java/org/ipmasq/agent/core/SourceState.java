package org.ipmasq.agent.core;

import java.util.Objects;
import java.util.Optional;

/**
 * What the last pass made of one config source of a merge, for health data, metrics and Events
 * (where it comes from is {@link ConfigSourceStatus}; this says whether it is valid).
 *
 * @param name the source's configured name (the label of its metrics)
 * @param source where it comes from and how fresh
 * @param present whether the source has a document now (a missing ConfigMap or file is not)
 * @param hash the hash of this source's version in effect (its last good one while it is
 *     rejected); empty when it contributes nothing
 * @param error why the current document was rejected; empty when it was accepted or is absent
 * @param nodeSpecific whether the error depends on this node's flags, so other nodes may accept
 *     the same document
 */
public record SourceState(String name, ConfigSourceStatus source, boolean present, Optional<String> hash,
        Optional<String> error, boolean nodeSpecific) {

    public SourceState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(error, "error");
    }

    public boolean rejected() {
        return error.isPresent();
    }
}
