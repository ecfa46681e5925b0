package org.ipmasq.agent.core;

import java.util.Map;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.FlagKind;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * How the core finds backends without naming them: each backend folder registers one provider
 * through {@link java.util.ServiceLoader}, so adding a backend touches no core code. A provider
 * may declare flags of its own; the command line accepts them and hands their values over in
 * {@link AgentOptions#backendFlags()}.
 */
public interface BackendProvider {

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

    MasqBackend create(AgentOptions options, CommandRunner runner) throws BackendException;
}
