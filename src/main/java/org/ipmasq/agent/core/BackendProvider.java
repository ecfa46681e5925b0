package org.ipmasq.agent.core;

import java.util.Map;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * How the core finds backends without naming them: each backend folder registers one provider
 * through {@link java.util.ServiceLoader}, so adding a backend touches no core code. A backend
 * declares the settings it takes ({@code S}, a value of its own package), which the command
 * line builds; it may also declare flags of its own, which the command line accepts.
 *
 * @param <S> this backend's settings
 */
public interface BackendProvider<S> {

    /** The name used to pick this backend with {@code --backend}, e.g. {@code iptables}. */
    String name();

    /** Whether this backend can run on this host (right OS, its tools present). */
    boolean suitsThisHost(CommandRunner runner);

    /** Among backends that suit the host, {@code --backend=auto} takes the highest preference. */
    int preference();

    /** Flags only this backend understands, by name (without dashes). */
    default Map<String, FlagKind> flags() {
        return Map.of();
    }

    /** The type of settings {@link #create} takes. */
    Class<S> settingsType();

    MasqBackend create(S settings, CommandRunner runner) throws BackendException;
}
