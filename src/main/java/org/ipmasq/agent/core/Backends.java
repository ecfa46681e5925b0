package org.ipmasq.agent.core;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.ipmasq.agent.exec.CommandRunner;

/** The backends registered in this build, and the choice among them. */
public final class Backends {

    public static final String AUTO = "auto";

    private final List<BackendProvider<?>> providers;

    public Backends(List<? extends BackendProvider<?>> providers) {
        this.providers = List.copyOf(providers);
    }

    /** Every backend found through {@link ServiceLoader}. */
    public static Backends installed() {
        List<BackendProvider<?>> found = ServiceLoader.load(BackendProvider.class).stream()
                .<BackendProvider<?>>map(ServiceLoader.Provider::get).toList();
        return new Backends(found);
    }

    public List<String> names() {
        return providers.stream().map(p -> p.name()).toList();
    }

    /** The flags all backends declare, for the command line parser. */
    public Map<String, FlagKind> flags() {
        Map<String, FlagKind> flags = new LinkedHashMap<>();
        providers.forEach(p -> flags.putAll(p.flags()));
        return flags;
    }

    /**
     * The backend {@code name} names, or for {@code auto} the most preferred one that suits this
     * host, created with the settings it declares.
     */
    public MasqBackend create(String name, BackendSettings settings, CommandRunner runner) throws BackendException {
        return create(select(name, runner), settings, runner);
    }

    private static <S> MasqBackend create(BackendProvider<S> provider, BackendSettings settings, CommandRunner runner)
            throws BackendException {
        return provider.create(settings.forBackend(provider.settingsType()), runner);
    }

    public BackendProvider<?> select(String name, CommandRunner runner) throws BackendException {
        if (AUTO.equals(name)) {
            return providers.stream().filter(p -> p.suitsThisHost(runner))
                    .max(Comparator.comparingInt(p -> p.preference()))
                    .orElseThrow(() -> new BackendException("no backend suits this host (os.name="
                            + System.getProperty("os.name") + "); known backends: " + names()));
        }
        return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new BackendException("--backend: unknown backend \"" + name + "\"; known: "
                        + names() + " or auto"));
    }
}
