package org.ipmasq.agent.core;

import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * How the core finds backends without naming them: each backend folder registers one provider
 * through {@link java.util.ServiceLoader}, so adding a backend touches no core code.
 */
public interface BackendProvider {

    /** The name used to pick this backend, e.g. {@code iptables}. */
    String name();

    /** Whether this backend is the natural choice on the OS the agent runs on. */
    boolean suitsThisHost();

    MasqBackend create(AgentOptions options, CommandRunner runner) throws BackendException;
}
