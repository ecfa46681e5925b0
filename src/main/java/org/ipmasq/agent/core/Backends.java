package org.ipmasq.agent.core;

import java.util.List;
import java.util.ServiceLoader;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.exec.CommandRunner;

/** Picks the backend for this host among those registered. */
public final class Backends {

    private Backends() {
    }

    public static List<BackendProvider> available() {
        return ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    public static MasqBackend forThisHost(AgentOptions options, CommandRunner runner) throws BackendException {
        List<BackendProvider> providers = available();
        for (BackendProvider provider : providers) {
            if (provider.suitsThisHost()) {
                return provider.create(options, runner);
            }
        }
        throw new BackendException("no backend suits this host (os.name=" + System.getProperty("os.name")
                + "); known backends: " + providers.stream().map(BackendProvider::name).toList());
    }
}
