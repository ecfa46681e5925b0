package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.core.IpFamily;

/**
 * Reading and rewriting one OutBoundNAT policy, {@code {"Type":"OutBoundNAT","Settings":{...}}}.
 * The type string is matched exactly, as HNS defines it; keys in any casing. All settings are
 * optional: no {@code Exceptions} means an empty list.
 */
final class OutboundNat {

    static final String TYPE = "OutBoundNAT";
    /** Settings.Flags bit for an IPv6 OutBoundNAT (0 none, 1 LocalRoutedVip, 2 IPv6). */
    static final long FLAG_IPV6 = 2;

    private OutboundNat() {
    }

    static boolean is(JsonNode policy) {
        return Json.text(policy, "Type").filter(TYPE::equals).isPresent();
    }

    static Optional<ObjectNode> settings(JsonNode policy) {
        return Json.object(policy, "Settings");
    }

    /**
     * The family this policy serves ({@link NatFamily}); empty when its addresses contradict each
     * other. Reads the v2 shape (in {@code Settings}) and the flat v1 shape alike, since CNI confs
     * use both.
     */
    static Optional<IpFamily> family(JsonNode policy) {
        Optional<ObjectNode> settings = settings(policy);
        long flags = flags(policy) | settings.map(OutboundNat::flags).orElse(0L);
        Optional<String> virtualIp = settings.flatMap(s -> text(s, "VirtualIP", "VIP")).or(() -> text(policy, "VirtualIP", "VIP"));
        List<String> exceptions = new ArrayList<>();
        settings.ifPresent(s -> {
            exceptions.addAll(textsIn(s, "Exceptions"));
            exceptions.addAll(textsIn(s, "ExceptionList"));
        });
        exceptions.addAll(textsIn(policy, "ExceptionList"));
        List<String> destinations = new ArrayList<>(settings.map(s -> textsIn(s, "Destinations")).orElse(List.of()));
        destinations.addAll(textsIn(policy, "Destinations"));
        return NatFamily.of(flags, virtualIp, exceptions, destinations);
    }

    /** Whether {@code policy} is an OutBoundNAT of {@code family}; one of no clear family is of none. */
    static boolean isOf(JsonNode policy, IpFamily family) {
        return is(policy) && family(policy).filter(f -> f == family).isPresent();
    }

    private static Optional<String> text(JsonNode object, String name, String alternative) {
        return Json.text(object, name).or(() -> Json.text(object, alternative));
    }

    /** The string entries of the list {@code name}, for evidence only: anything else is skipped. */
    private static List<String> textsIn(JsonNode object, String name) {
        List<String> out = new ArrayList<>();
        Json.get(object, name).filter(JsonNode::isArray)
                .ifPresent(list -> list.forEach(e -> {
                    if (e.isTextual()) {
                        out.add(e.asText());
                    }
                }));
        return out;
    }

    /** A numeric {@code Flags} member (a numeric string too), else 0. */
    static long flags(JsonNode object) {
        JsonNode flags = Json.get(object, "Flags").orElse(null);
        if (flags == null) {
            return 0;
        }
        if (flags.isIntegralNumber()) {
            return flags.asLong();
        }
        if (flags.isTextual() && flags.asText().matches("\\d{1,10}")) {
            return Long.parseLong(flags.asText());
        }
        return 0;
    }

    static List<String> exceptions(JsonNode policy) throws HcnException {
        Optional<ObjectNode> settings = settings(policy);
        if (settings.isEmpty()) {
            if (Json.get(policy, "Settings").filter(s -> !s.isNull()).isPresent()) {
                throw new HcnException("OutBoundNAT Settings is not a JSON object: " + Json.compact(policy));
            }
            return List.of();
        }
        return strings(Json.get(settings.get(), "Exceptions").orElse(null), policy);
    }

    static List<String> strings(JsonNode list, JsonNode context) throws HcnException {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new HcnException("OutBoundNAT exceptions are not a list: " + Json.compact(context));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode entry : list) {
            if (!entry.isTextual()) {
                throw new HcnException("OutBoundNAT exception " + entry + " is not a string: " + Json.compact(context));
            }
            out.add(entry.asText());
        }
        return out;
    }

    /**
     * A copy of {@code policy} with only the exception list replaced: every other setting
     * (VirtualIP, Destinations, Flags, MaxPortPoolUsage, fields we do not know) and the key
     * casing stay exactly as HNS reported them.
     */
    static ObjectNode withExceptions(ObjectNode policy, List<String> exceptions) {
        ObjectNode copy = policy.deepCopy();
        String settingsKey = Json.key(copy, "Settings").orElse("Settings");
        ObjectNode settings = copy.get(settingsKey) instanceof ObjectNode existing ? existing : copy.putObject(settingsKey);
        settings.set(Json.key(settings, "Exceptions").orElse("Exceptions"), Json.strings(exceptions));
        return copy;
    }
}
