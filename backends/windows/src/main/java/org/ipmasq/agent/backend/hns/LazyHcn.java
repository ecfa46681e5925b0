package org.ipmasq.agent.backend.hns;

import java.util.List;

/**
 * Loads the real HCN binding on first use rather than at start-up: a host without
 * computenetwork.dll then still runs the agent, which reports the missing DLL in every sync's
 * error (health, logs) and keeps rewriting the CNI conf, instead of crash-looping.
 */
final class LazyHcn implements Hcn {

    interface Loader {
        Hcn load() throws HcnException;
    }

    private final Loader loader;
    private Hcn loaded;

    LazyHcn(Loader loader) {
        this.loader = loader;
    }

    private synchronized Hcn hcn() throws HcnException {
        if (loaded == null) {
            loaded = loader.load();
        }
        return loaded;
    }

    @Override
    public List<String> listEndpointIds() throws HcnException {
        return hcn().listEndpointIds();
    }

    @Override
    public String queryEndpoint(String id) throws HcnException {
        return hcn().queryEndpoint(id);
    }

    @Override
    public void modifyEndpoint(String id, String request) throws HcnException {
        hcn().modifyEndpoint(id, request);
    }
}
