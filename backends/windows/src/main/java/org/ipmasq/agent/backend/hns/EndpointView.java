package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the backend reads from one endpoint's JSON: whether it is remote, and its policies as
 * queried (kept whole, so they can be sent back exactly).
 */
record EndpointView(String id, Optional<String> name, boolean remote, List<ObjectNode> policies) {

    /** Endpoint Flags bit for "lives on another host" (HNS v2). */
    static final long FLAG_REMOTE = 1;

    EndpointView {
        policies = List.copyOf(policies);
    }

    static EndpointView parse(String id, String json) throws HcnException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new HcnException("endpoint " + id + ": HNS returned invalid JSON (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new HcnException("endpoint " + id + ": HNS returned " + Json.abbreviate(json) + ", not a JSON object");
        }
        // v2 marks remote endpoints in Flags; v1-created ones may still carry IsRemoteEndpoint.
        boolean remote = (OutboundNat.flags(root) & FLAG_REMOTE) != 0
                || Json.get(root, "IsRemoteEndpoint").map(JsonNode::asBoolean).orElse(false);
        return new EndpointView(id, Json.text(root, "Name"), remote, policies(id, root));
    }

    private static List<ObjectNode> policies(String id, JsonNode root) throws HcnException {
        JsonNode list = Json.get(root, "Policies").orElse(null);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new HcnException("endpoint " + id + ": Policies is not a list");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode policy : list) {
            if (!policy.isObject()) {
                throw new HcnException("endpoint " + id + ": policy " + policy + " is not a JSON object");
            }
            out.add((ObjectNode) policy);
        }
        return out;
    }

    List<ObjectNode> outboundNats() {
        return policies.stream().filter(OutboundNat::is).toList();
    }

    /** For log lines: the ID, plus the name HNS gave it when there is one (often the pod's). */
    String label() {
        return name.filter(n -> !n.isBlank()).map(n -> id + " (" + n + ")").orElse(id);
    }
}
