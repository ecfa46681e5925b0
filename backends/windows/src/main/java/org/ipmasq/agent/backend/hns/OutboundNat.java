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

    static IpFamily family(JsonNode policy) {
        long flags = settings(policy).map(s -> flags(s)).orElse(0L);
        return (flags & FLAG_IPV6) != 0 ? IpFamily.IPV6 : IpFamily.IPV4;
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
