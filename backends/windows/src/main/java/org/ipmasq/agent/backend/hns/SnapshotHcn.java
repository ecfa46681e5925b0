package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Endpoints from a file instead of HNS, for previews on any OS ({@code --hns-snapshot}): a JSON
 * array of endpoint objects, each as HcnQueryEndpointProperties returns it (for instance
 * collected on a node with hnsdiag or the HNS PowerShell module). Read-only: it answers list
 * and query, and refuses modify, since a preview never writes and a file is not an HNS whose
 * Update semantics could be imitated honestly.
 */
final class SnapshotHcn implements Hcn {

    private final Path file;
    private Map<String, String> endpoints = Map.of();

    SnapshotHcn(Path file) {
        this.file = file;
    }

    /** Reads the file afresh: each call sees its current content. */
    @Override
    public synchronized List<String> listEndpointIds() throws HcnException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new HcnException("cannot read the HNS snapshot " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new HcnException("the HNS snapshot " + file + " is not a JSON array of endpoints");
        }
        Map<String, String> read = new LinkedHashMap<>();
        for (JsonNode endpoint : root) {
            Optional<String> id = Json.text(endpoint, "ID");
            if (!endpoint.isObject() || id.isEmpty()) {
                throw new HcnException("the HNS snapshot " + file + " holds an entry without an \"ID\" string: "
                        + Json.abbreviate(endpoint.toString()));
            }
            if (read.put(id.get(), Json.compact(endpoint)) != null) {
                throw new HcnException("the HNS snapshot " + file + " lists endpoint " + id.get() + " twice");
            }
        }
        endpoints = Map.copyOf(read);
        return List.copyOf(read.keySet());
    }

    @Override
    public synchronized String queryEndpoint(String id) throws HcnException {
        String endpoint = endpoints.get(id);
        if (endpoint == null) {
            throw HcnException.of("HcnOpenEndpoint", HResult.HCN_E_ENDPOINT_NOT_FOUND, "");
        }
        return endpoint;
    }

    @Override
    public void modifyEndpoint(String id, String request) throws HcnException {
        throw new HcnException("the HNS snapshot " + file + " is read-only; it serves --dry-run only");
    }
}
