package org.ipmasq.agent.backend.nftables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.core.BackendException;

/**
 * Our table of one family as the kernel holds it, read from {@code nft -j list table}. Only
 * what the comparison needs is kept: sets (type, flags, contents), chains (hook and rules), and
 * a description of anything else found in the table, which we never create and so must remove.
 *
 * @param foreign objects of kinds we never create (maps, counters, flowtables, table flags...)
 */
record HeldTable(boolean exists, Map<String, HeldSet> sets, Map<String, HeldChain> chains, List<String> foreign) {

    static final HeldTable ABSENT = new HeldTable(false, Map.of(), Map.of(), List.of());

    private static final ObjectMapper MAPPER = new ObjectMapper();

    HeldTable {
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        foreign = List.copyOf(foreign);
    }

    /** Parses the output of {@code nft -j list table <family> <name>}. */
    static HeldTable parse(String json) throws BackendException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BackendException("nft -j printed something that is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode objects = root == null ? null : root.get("nftables");
        if (objects == null || !objects.isArray()) {
            throw new BackendException("nft -j printed JSON without an \"nftables\" array");
        }
        Map<String, HeldSet> sets = new LinkedHashMap<>();
        Map<String, List<HeldRule>> rules = new LinkedHashMap<>();
        Map<String, Optional<BaseChain>> chainHeads = new LinkedHashMap<>();
        List<String> foreign = new ArrayList<>();
        boolean table = false;
        for (JsonNode object : objects) {
            String kind = object.fieldNames().hasNext() ? object.fieldNames().next() : "";
            JsonNode body = object.path(kind);
            switch (kind) {
                case "metainfo":
                    break;
                case "table":
                    table = true;
                    // nft 1.0.6 prints table flags oddly (the table name), so only their presence counts.
                    if (body.has("flags")) {
                        foreign.add("table flags " + body.get("flags"));
                    }
                    break;
                case "set":
                    sets.put(body.path("name").asText(), set(body));
                    break;
                case "chain":
                    chainHeads.put(body.path("name").asText(), base(body));
                    break;
                case "rule":
                    rules.computeIfAbsent(body.path("chain").asText(), c -> new ArrayList<>()).add(rule(body));
                    break;
                default:
                    foreign.add(kind + " " + body.path("name").asText("?"));
                    break;
            }
        }
        if (!table) {
            return ABSENT;
        }
        Map<String, HeldChain> chains = new LinkedHashMap<>();
        chainHeads.forEach((name, base) -> chains.put(name, new HeldChain(base, rules.getOrDefault(name, List.of()))));
        return new HeldTable(true, sets, chains, foreign);
    }

    private static HeldSet set(JsonNode body) {
        List<String> flags = new ArrayList<>();
        JsonNode flagNode = body.path("flags");
        if (flagNode.isTextual()) {
            flags.add(flagNode.asText());
        } else {
            flagNode.forEach(f -> flags.add(f.asText()));
        }
        return new HeldSet(body.path("type").asText(), flags, AddressRanges.fromJson(body.get("elem")));
    }

    private static Optional<BaseChain> base(JsonNode body) {
        if (!body.has("hook")) {
            return Optional.empty();
        }
        return Optional.of(new BaseChain(body.path("type").asText(), body.path("hook").asText(),
                body.path("prio").asInt(), body.path("policy").asText()));
    }

    private static HeldRule rule(JsonNode body) {
        JsonNode comment = body.get("comment");
        return new HeldRule(body.path("expr"), comment == null || comment.isNull()
                ? Optional.empty() : Optional.of(comment.asText()));
    }
}
