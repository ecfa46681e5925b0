package org.ipmasq.agent.core;

import java.util.Optional;

/** A config document that tests set at will; empty means "no document" (the defaults). */
public final class TextConfigSource implements ConfigSource {

    public volatile Optional<String> text = Optional.empty();

    @Override
    public Optional<String> fetch() {
        return text;
    }

    @Override
    public ConfigSourceStatus status() {
        return ConfigSourceStatus.other("test");
    }
}
