package org.ipmasq.agent.core;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.FlagKind;
import org.ipmasq.agent.exec.CommandRunner;

/** The backends registered in this build, and the choice among them. */
public final class Backends {

    public static final String AUTO = "auto";

    private final List<BackendProvider> providers;

    public Backends(List<BackendProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** Every backend found through {@link ServiceLoader}. */
    public static Backends installed() {
        return new Backends(ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public List<String> names() {
        return providers.stream().map(BackendProvider::name).toList();
    }

    /** The flags all backends declare, for the command line parser. */
    public Map<String, FlagKind> flags() {
        Map<String, FlagKind> flags = new LinkedHashMap<>();
        providers.forEach(p -> flags.putAll(p.flags()));
        return flags;
    }

    /** The backend {@code --backend} names, or for {@code auto} the most preferred one that suits this host. */
    public MasqBackend create(AgentOptions options, CommandRunner runner) throws BackendException {
        return select(options.backend(), runner).create(options, runner);
    }

    public BackendProvider select(String name, CommandRunner runner) throws BackendException {
        if (AUTO.equals(name)) {
            return providers.stream().filter(p -> p.suitsThisHost(runner))
                    .max(Comparator.comparingInt(BackendProvider::preference))
                    .orElseThrow(() -> new BackendException("no backend suits this host (os.name="
                            + System.getProperty("os.name") + "); known backends: " + names()));
        }
        return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new BackendException("--backend: unknown backend \"" + name + "\"; known: "
                        + names() + " or auto"));
    }
}
