package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.ipmasq.agent.core.IpFamily;

/**
 * What one endpoint must change, worked out from the endpoint as queried: for each managed
 * family, its OutBoundNAT with the wanted exceptions. Also the check that a later query shows
 * the change applied and nothing else disturbed, which the update strategy relies on because
 * what HNS does with an Update is not documented.
 */
final class EndpointPlan {

    /** One OutBoundNAT to rewrite: as queried, and the copy with new exceptions. */
    record NatChange(IpFamily family, ObjectNode before, ObjectNode after, List<String> wanted,
            List<String> added, List<String> removed) {
    }

    private final EndpointView original;
    private final List<NatChange> changes;

    private EndpointPlan(EndpointView original, List<NatChange> changes) {
        this.original = original;
        this.changes = List.copyOf(changes);
    }

    /**
     * @throws HcnException when the endpoint cannot be handled safely: an unreadable exception
     *     list, or more than one OutBoundNAT of a family (which one would be meant is a guess)
     */
    static EndpointPlan of(EndpointView endpoint, WantedExceptions wanted) throws HcnException {
        for (ObjectNode nat : endpoint.outboundNats()) {
            if (OutboundNat.family(nat).isEmpty()) {
                throw new HcnException("OutBoundNAT " + Json.compact(nat) + ": " + NatFamily.CONTRADICTION);
            }
        }
        List<NatChange> changes = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            Optional<List<String>> list = wanted.forFamily(family);
            if (list.isEmpty()) {
                continue; // IPv6 without --enable-ipv6: its OutBoundNAT is not ours to touch
            }
            List<ObjectNode> nats = natsOf(endpoint, family);
            if (nats.size() > 1) {
                throw new HcnException(nats.size() + " " + label(family) + " OutBoundNAT policies where at most one "
                        + "is expected; left alone: " + nats.stream().map(Json::compact).toList());
            }
            if (nats.size() == 1) {
                ObjectNode nat = nats.get(0);
                List<String> current = OutboundNat.exceptions(nat);
                if (!ExceptionLists.same(current, list.get())) {
                    changes.add(new NatChange(family, nat, OutboundNat.withExceptions(nat, list.get()), list.get(),
                            ExceptionLists.added(current, list.get()), ExceptionLists.removed(current, list.get())));
                }
            }
        }
        return new EndpointPlan(endpoint, changes);
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    List<NatChange> changes() {
        return changes;
    }

    List<ObjectNode> newPolicies() {
        return changes.stream().map(NatChange::after).toList();
    }

    /** The first request the strategy sends. */
    ObjectNode updateRequest() {
        return ModifyRequest.policies(ModifyRequest.UPDATE, newPolicies());
    }

    /** The OutBoundNAT policies of the changed families in {@code now}, exactly as read. */
    List<ObjectNode> presentNats(EndpointView now) {
        return now.policies().stream()
                .filter(p -> changes.stream().anyMatch(c -> OutboundNat.isOf(p, c.family())))
                .toList();
    }

    /** Policies other than the rewritten OutBoundNATs that were there at first and are missing in {@code now}. */
    List<ObjectNode> lostPolicies(EndpointView now) {
        return difference(othersOriginally(), othersIn(now));
    }

    /**
     * Why {@code now} is not the endpoint this plan wants, or empty when it is: per changed family
     * exactly one OutBoundNAT with the new exceptions and its other settings as sent, and every
     * other policy exactly as first queried.
     */
    Optional<String> mismatch(EndpointView now) {
        List<String> problems = new ArrayList<>();
        for (NatChange change : changes) {
            List<ObjectNode> nats = natsOf(now, change.family());
            if (nats.size() != 1) {
                problems.add(nats.size() + " " + label(change.family()) + " OutBoundNAT policies instead of 1");
                continue;
            }
            ObjectNode nat = nats.get(0);
            try {
                List<String> exceptions = OutboundNat.exceptions(nat);
                if (!ExceptionLists.same(exceptions, change.wanted())) {
                    problems.add(label(change.family()) + " OutBoundNAT exceptions read " + exceptions);
                }
            } catch (HcnException e) {
                problems.add(e.getMessage());
            }
            settingsChanged(change.after(), nat).ifPresent(problems::add);
        }
        List<ObjectNode> lost = difference(othersOriginally(), othersIn(now));
        if (!lost.isEmpty()) {
            problems.add("policies lost: " + lost.stream().map(Json::compact).toList());
        }
        List<ObjectNode> extra = difference(othersIn(now), othersOriginally());
        if (!extra.isEmpty()) {
            problems.add("unexpected policies: " + extra.stream().map(Json::compact).toList());
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** E.g. {@code IPv4 OutBoundNAT exceptions +[10.0.0.0/8] -[11.0.0.0/8]}. */
    String describe() {
        return changes.stream()
                .map(c -> label(c.family()) + " OutBoundNAT exceptions +" + c.added() + " -" + c.removed())
                .collect(Collectors.joining(", "));
    }

    private List<ObjectNode> othersOriginally() {
        return original.policies().stream()
                .filter(p -> changes.stream().noneMatch(c -> c.before() == p))
                .toList();
    }

    private List<ObjectNode> othersIn(EndpointView now) {
        List<ObjectNode> rewritten = presentNats(now);
        return now.policies().stream().filter(p -> !rewritten.contains(p)).toList();
    }

    /** A field of the Settings we sent (other than Exceptions) that now reads differently; HNS may add fields. */
    private static Optional<String> settingsChanged(ObjectNode sent, ObjectNode now) {
        ObjectNode sentSettings = OutboundNat.settings(sent).orElseThrow();
        Optional<ObjectNode> nowSettings = OutboundNat.settings(now);
        for (Iterator<Map.Entry<String, JsonNode>> fields = sentSettings.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equalsIgnoreCase("Exceptions")) {
                continue;
            }
            Optional<JsonNode> value = nowSettings.flatMap(s -> Json.get(s, field.getKey()));
            if (value.isEmpty() || !value.get().equals(field.getValue())) {
                return Optional.of("OutBoundNAT setting " + field.getKey() + " reads "
                        + value.map(JsonNode::toString).orElse("(absent)") + " instead of " + field.getValue());
            }
        }
        return Optional.empty();
    }

    /** Multiset difference by JSON equality: what {@code a} has that {@code b} lacks. */
    private static List<ObjectNode> difference(List<ObjectNode> a, List<ObjectNode> b) {
        List<ObjectNode> remaining = new ArrayList<>(b);
        List<ObjectNode> missing = new ArrayList<>();
        for (ObjectNode policy : a) {
            if (!remaining.remove(policy)) {
                missing.add(policy);
            }
        }
        return missing;
    }

    private static List<ObjectNode> natsOf(EndpointView endpoint, IpFamily family) {
        return endpoint.outboundNats().stream().filter(p -> OutboundNat.isOf(p, family)).toList();
    }

    static String label(IpFamily family) {
        return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
    }
}
