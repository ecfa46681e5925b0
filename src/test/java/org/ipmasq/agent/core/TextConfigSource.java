package org.ipmasq.agent.core;

import java.util.Optional;

/** A config document that tests set at will; empty means "no document" (it contributes nothing). */
public final class TextConfigSource implements ConfigSource {

    public volatile Optional<String> text = Optional.empty();
    private final String name;

    public TextConfigSource() {
        this("test");
    }

    /** A named source, for tests with several. */
    public TextConfigSource(String name) {
        this.name = name;
    }

    @Override
    public Optional<String> fetch() {
        return text;
    }

    @Override
    public ConfigSourceStatus status() {
        return ConfigSourceStatus.other(name);
    }

    @Override
    public String name() {
        return name;
    }
}
