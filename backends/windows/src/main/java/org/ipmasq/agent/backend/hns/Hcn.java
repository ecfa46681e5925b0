package org.ipmasq.agent.backend.hns;

import java.util.List;

/**
 * The few HCN operations the backend needs, as JSON in and out. Everything above this line is
 * plain Java and is tested on any OS against a fake; only {@link NativeHcn} talks to
 * computenetwork.dll. Each call opens and closes the endpoint it needs, so no handle outlives
 * a call.
 */
interface Hcn {

    /** The IDs (GUIDs without braces, as HNS writes them) of every endpoint on this host. */
    List<String> listEndpointIds() throws HcnException;

    /**
     * The endpoint's JSON as HcnQueryEndpointProperties returns it.
     *
     * @throws EndpointGoneException when the endpoint no longer exists
     */
    String queryEndpoint(String id) throws HcnException;

    /**
     * Sends one HcnModifyEndpoint request, e.g.
     * {@code {"ResourceType":"Policy","RequestType":"Update","Settings":{"Policies":[...]}}}.
     *
     * @throws EndpointGoneException when HNS answers with an endpoint-not-found code
     */
    void modifyEndpoint(String id, String request) throws HcnException;
}
