package org.ipmasq.agent.backend.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.ipmasq.agent.core.PortRange;

/**
 * Builds the JSON that {@code nft -j list} prints for the few expressions our rules use, so
 * that a rule read back from the kernel can be compared with the rule we want structurally
 * instead of by text. The shapes were taken from nftables 1.0.6 (libnftables JSON schema 1);
 * {@link JsonCanon} evens out the spellings known to vary between versions.
 */
final class Expr {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Expr() {
    }

    static ArrayNode list(JsonNode... statements) {
        ArrayNode list = JSON.arrayNode();
        for (JsonNode statement : statements) {
            list.add(statement);
        }
        return list;
    }

    /** {@code left <op> right}, e.g. {@code ip daddr == @set}. */
    static ObjectNode match(String op, JsonNode left, JsonNode right) {
        ObjectNode match = JSON.objectNode();
        match.put("op", op);
        match.set("left", left);
        match.set("right", right);
        return wrap("match", match);
    }

    static JsonNode text(String value) {
        return JSON.textNode(value);
    }

    static JsonNode number(int value) {
        return JSON.numberNode(value);
    }

    /** {@code fib daddr type}: the routing type of the destination, e.g. local. */
    static ObjectNode fibDaddrType() {
        ObjectNode fib = JSON.objectNode();
        fib.put("result", "type");
        fib.set("flags", list(text("daddr")));
        return wrap("fib", fib);
    }

    /** {@code ip daddr} or {@code ip6 daddr}. */
    static ObjectNode daddr(String protocol) {
        ObjectNode payload = JSON.objectNode();
        payload.put("protocol", protocol);
        payload.put("field", "daddr");
        return wrap("payload", payload);
    }

    static ObjectNode prefix(String address, int length) {
        ObjectNode prefix = JSON.objectNode();
        prefix.put("addr", address);
        prefix.put("len", length);
        return wrap("prefix", prefix);
    }

    /** {@code meta l4proto}. */
    static ObjectNode l4proto() {
        ObjectNode meta = JSON.objectNode();
        meta.put("key", "l4proto");
        return wrap("meta", meta);
    }

    /** {@code numgen random mod <modulus>}: a fresh number in [0, modulus) per packet. */
    static ObjectNode randomBelow(int modulus) {
        ObjectNode numgen = JSON.objectNode();
        numgen.put("mode", "random");
        numgen.put("mod", modulus);
        numgen.put("offset", 0);
        return wrap("numgen", numgen);
    }

    static ObjectNode verdictReturn() {
        ObjectNode verdict = JSON.objectNode();
        verdict.putNull("return");
        return verdict;
    }

    static ObjectNode verdictGoto(String chain) {
        ObjectNode target = JSON.objectNode();
        target.put("target", chain);
        return wrap("goto", target);
    }

    /** {@code masquerade [to :ports] [fully-random]}; the bare statement prints as {@code null}. */
    static ObjectNode masquerade(Optional<PortRange> ports, boolean fullyRandom) {
        ObjectNode masquerade = JSON.objectNode();
        ports.ifPresent(range -> masquerade.set("port", range.first() == range.last() ? number(range.first())
                : wrap("range", list(number(range.first()), number(range.last())))));
        if (fullyRandom) {
            masquerade.put("flags", "fully-random");
        }
        ObjectNode statement = JSON.objectNode();
        if (masquerade.isEmpty()) {
            statement.putNull("masquerade");
        } else {
            statement.set("masquerade", masquerade);
        }
        return statement;
    }

    private static ObjectNode wrap(String key, JsonNode value) {
        ObjectNode wrapper = JSON.objectNode();
        wrapper.set(key, value);
        return wrapper;
    }
}
