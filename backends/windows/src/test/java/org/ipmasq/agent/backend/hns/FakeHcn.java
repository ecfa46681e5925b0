package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipmasq.agent.core.IpFamily;

/**
 * A fake HNS that models endpoints as JSON documents and applies modify requests to them,
 * instead of recording calls only: tests assert on the endpoints' resulting policies as well
 * as on the exact requests sent. Add, Remove and Update follow the semantics below; since real
 * Update semantics are unknown, the Update behaviour is selectable per endpoint.
 *
 * <ul>
 *   <li>Add appends each policy; an equal policy, or an OutBoundNAT of a family that already has
 *       one, is refused with HCN_E_POLICY_ALREADY_EXISTS (nothing applied).
 *   <li>Remove deletes policies equal (as JSON) to the ones given; any missing one is refused
 *       with HCN_E_POLICY_NOT_FOUND (nothing applied).
 *   <li>Update per {@link UpdateBehaviour}.
 * </ul>
 */
final class FakeHcn implements Hcn {

    enum UpdateBehaviour {
        /** Replaces the policy of the same Type (and, for OutBoundNAT, the same family). */
        REPLACE_SAME_TYPE,
        /** Answers HCN_E_REQUEST_UNSUPPORTED. */
        REFUSE,
        /** Answers S_OK and changes nothing. */
        IGNORE,
        /** Adds the given policies next to the old ones. */
        APPEND,
        /** Replaces all of the endpoint's policies with the given ones. */
        REPLACE_ALL
    }

    record Sent(String endpoint, String request) {
        @Override
        public String toString() {
            return endpoint + " " + request;
        }
    }

    static final String REFUSED_RECORD = "{\"Success\":false,\"Error\":\"The specified request is unsupported.\","
            + "\"ErrorCode\":2151350293}";

    private final Map<String, ObjectNode> endpoints = new LinkedHashMap<>();
    private final Map<String, UpdateBehaviour> updateBehaviour = new HashMap<>();
    private final Map<String, Integer> failing = new HashMap<>();
    private final Map<String, Integer> addsToRefuse = new HashMap<>();
    private final Set<String> vanishAfterList = new HashSet<>();
    private final Set<String> vanishOnModify = new HashSet<>();
    private final Map<String, Integer> modifyAnswers = new HashMap<>();
    final List<Sent> sent = new ArrayList<>();
    UpdateBehaviour defaultUpdate = UpdateBehaviour.REPLACE_SAME_TYPE;
    boolean dllMissing;
    Integer enumerateFailure;

    /** Adds the endpoint held in test file {@code hns/<name>.json}; returns its ID. */
    String addResource(String name) {
        return add(TestFiles.read("hns/" + name + ".json"));
    }

    String add(String json) {
        try {
            ObjectNode endpoint = (ObjectNode) Json.MAPPER.readTree(json);
            String id = Json.text(endpoint, "ID").orElseThrow();
            endpoints.put(id, endpoint);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint's live document (a copy). */
    ObjectNode endpoint(String id) {
        return endpoints.get(id).deepCopy();
    }

    boolean exists(String id) {
        return endpoints.containsKey(id);
    }

    List<ObjectNode> policies(String id) {
        List<ObjectNode> out = new ArrayList<>();
        policyArray(endpoints.get(id)).forEach(p -> out.add((ObjectNode) p));
        return out;
    }

    /** The exceptions of the endpoint's only OutBoundNAT of {@code family}. */
    List<String> exceptions(String id, IpFamily family) {
        List<ObjectNode> nats = policies(id).stream()
                .filter(p -> OutboundNat.isOf(p, family)).toList();
        if (nats.size() != 1) {
            throw new AssertionError(nats.size() + " " + family + " OutBoundNAT policies on " + id + ": " + nats);
        }
        try {
            return OutboundNat.exceptions(nats.get(0));
        } catch (HcnException e) {
            throw new AssertionError(e);
        }
    }

    /** Someone else (an operator, the CNI plugin) edits the exceptions behind the agent's back. */
    void editExceptions(String id, IpFamily family, List<String> exceptions) {
        ArrayNode policies = policyArray(endpoints.get(id));
        for (int i = 0; i < policies.size(); i++) {
            if (OutboundNat.isOf(policies.get(i), family)) {
                policies.set(i, OutboundNat.withExceptions((ObjectNode) policies.get(i), exceptions));
            }
        }
    }

    void update(String id, UpdateBehaviour behaviour) {
        updateBehaviour.put(id, behaviour);
    }

    /** Every call for this endpoint fails with {@code hresult}. */
    void fail(String id, int hresult) {
        failing.put(id, hresult);
    }

    /** The next {@code count} Add requests to this endpoint are refused. */
    void refuseAdds(String id, int count) {
        addsToRefuse.put(id, count);
    }

    /** Listed, then deleted before it can be opened (its pod went away). */
    void vanishAfterList(String id) {
        vanishAfterList.add(id);
    }

    /** Deleted just as the first modify request arrives. */
    void vanishOnModify(String id) {
        vanishOnModify.add(id);
    }

    /** Modify requests to this endpoint answer {@code hresult} without applying anything. */
    void answerModify(String id, int hresult) {
        modifyAnswers.put(id, hresult);
    }

    @Override
    public List<String> listEndpointIds() throws HcnException {
        checkLibrary();
        if (enumerateFailure != null) {
            throw HcnException.of("HcnEnumerateEndpoints", enumerateFailure, "");
        }
        List<String> ids = List.copyOf(endpoints.keySet());
        vanishAfterList.forEach(endpoints::remove);
        return ids;
    }

    @Override
    public String queryEndpoint(String id) throws HcnException {
        ObjectNode endpoint = open(id, "HcnQueryEndpointProperties");
        return Json.compact(endpoint);
    }

    @Override
    public void modifyEndpoint(String id, String request) throws HcnException {
        sent.add(new Sent(id, request));
        if (vanishOnModify.remove(id)) {
            endpoints.remove(id);
        }
        ObjectNode endpoint = open(id, "HcnModifyEndpoint");
        if (modifyAnswers.containsKey(id)) {
            throw HcnException.of("HcnModifyEndpoint", modifyAnswers.get(id), "");
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(request);
        } catch (IOException e) {
            throw HcnException.of("HcnModifyEndpoint", HResult.HCN_E_INVALID_JSON, e.getMessage());
        }
        if (!"Policy".equals(Json.text(parsed, "ResourceType").orElse(""))) {
            throw HcnException.of("HcnModifyEndpoint", HResult.HCN_E_REQUEST_UNSUPPORTED, "");
        }
        List<ObjectNode> given = new ArrayList<>();
        Json.object(parsed, "Settings").flatMap(s -> Json.get(s, "Policies")).orElseThrow()
                .forEach(p -> given.add((ObjectNode) p));
        ArrayNode policies = policyArray(endpoint);
        switch (Json.text(parsed, "RequestType").orElse("")) {
            case "Add" -> add(id, policies, given);
            case "Remove" -> remove(policies, given);
            case "Update" -> update(id, policies, given);
            default -> throw HcnException.of("HcnModifyEndpoint", HResult.HCN_E_REQUEST_UNSUPPORTED, "");
        }
    }

    private void add(String id, ArrayNode policies, List<ObjectNode> given) throws HcnException {
        int refuse = addsToRefuse.getOrDefault(id, 0);
        if (refuse > 0) {
            addsToRefuse.put(id, refuse - 1);
            throw HcnException.of("HcnModifyEndpoint", HResult.HCN_E_REQUEST_UNSUPPORTED, REFUSED_RECORD);
        }
        for (ObjectNode policy : given) {
            for (JsonNode existing : policies) {
                boolean sameNatFamily = OutboundNat.is(policy) && OutboundNat.is(existing)
                        && OutboundNat.family(policy).equals(OutboundNat.family(existing));
                if (existing.equals(policy) || sameNatFamily) {
                    throw HcnException.of("HcnModifyEndpoint", HResult.HCN_E_POLICY_ALREADY_EXISTS, "");
                }
            }
        }
        given.forEach(policies::add);
    }

    private static void remove(ArrayNode policies, List<ObjectNode> given) throws HcnException {
        List<JsonNode> remaining = new ArrayList<>();
        policies.forEach(remaining::add);
        for (ObjectNode policy : given) {
            if (!remaining.remove(policy)) {
                throw HcnException.of("HcnModifyEndpoint", HResult.HCN_E_POLICY_NOT_FOUND, "");
            }
        }
        policies.removeAll();
        remaining.forEach(policies::add);
    }

    private void update(String id, ArrayNode policies, List<ObjectNode> given) throws HcnException {
        switch (updateBehaviour.getOrDefault(id, defaultUpdate)) {
            case REFUSE -> throw HcnException.of("HcnModifyEndpoint", HResult.HCN_E_REQUEST_UNSUPPORTED, REFUSED_RECORD);
            case IGNORE -> {
            }
            case APPEND -> given.forEach(policies::add);
            case REPLACE_ALL -> {
                policies.removeAll();
                given.forEach(policies::add);
            }
            case REPLACE_SAME_TYPE -> {
                for (ObjectNode policy : given) {
                    int at = sameKind(policies, policy);
                    if (at < 0) {
                        throw HcnException.of("HcnModifyEndpoint", HResult.HCN_E_POLICY_NOT_FOUND, "");
                    }
                    policies.set(at, policy);
                }
            }
        }
    }

    private static int sameKind(ArrayNode policies, ObjectNode policy) {
        String type = Json.text(policy, "Type").orElse("");
        for (int i = 0; i < policies.size(); i++) {
            JsonNode existing = policies.get(i);
            if (type.equals(Json.text(existing, "Type").orElse(null))
                    && (!OutboundNat.is(policy) || OutboundNat.family(existing).equals(OutboundNat.family(policy)))) {
                return i;
            }
        }
        return -1;
    }

    private ObjectNode open(String id, String operation) throws HcnException {
        checkLibrary();
        if (failing.containsKey(id)) {
            throw HcnException.of(operation, failing.get(id), "{\"Success\":false,\"Error\":\"injected\"}");
        }
        ObjectNode endpoint = endpoints.get(id);
        if (endpoint == null) {
            throw HcnException.of("HcnOpenEndpoint", HResult.HCN_E_ENDPOINT_NOT_FOUND, "");
        }
        return endpoint;
    }

    private void checkLibrary() throws HcnException {
        if (dllMissing) {
            throw HcnException.libraryMissing(new UnsatisfiedLinkError("Unable to load library 'computenetwork'"));
        }
    }

    private static ArrayNode policyArray(ObjectNode endpoint) {
        String key = Json.key(endpoint, "Policies").orElse("Policies");
        JsonNode policies = endpoint.get(key);
        return policies instanceof ArrayNode array ? array : endpoint.putArray(key);
    }
}
