package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The HcnModifyEndpoint settings document for a change to an endpoint's policies. */
final class ModifyRequest {

    static final String UPDATE = "Update";
    static final String REMOVE = "Remove";
    static final String ADD = "Add";

    private ModifyRequest() {
    }

    /** {@code {"ResourceType":"Policy","RequestType":<type>,"Settings":{"Policies":[...]}}}. */
    static ObjectNode policies(String requestType, List<ObjectNode> policies) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("ResourceType", "Policy");
        request.put("RequestType", requestType);
        request.putObject("Settings").putArray("Policies").addAll(policies);
        return request;
    }
}
