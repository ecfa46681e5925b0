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

/**
 * Our table of one family as the kernel holds it, read from {@code nft -j list table}. Only
 * what the comparison needs is kept: sets (type, flags, contents), chains (hook and rules), and
 * the problems that only recreating the table fixes: objects of kinds we never create, table
 * flags, or a listing that cannot be read at all.
 *
 * @param problems phrases for the log, e.g. "unexpected map m"; empty when the table is ours alone
 */
record HeldTable(boolean exists, Map<String, HeldSet> sets, Map<String, HeldChain> chains, List<String> problems) {

    static final HeldTable ABSENT = new HeldTable(false, Map.of(), Map.of(), List.of());

    private static final ObjectMapper MAPPER = new ObjectMapper();

    HeldTable {
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        problems = List.copyOf(problems);
    }

    /**
     * Parses the output of a successful {@code nft -j list table <family> <name>}. The table
     * exists (nft said so by succeeding), so output that is not the expected JSON makes a table
     * that must be recreated rather than an error that would stop the repair: nft 1.0.6, for
     * one, prints broken JSON for a table someone set dormant.
     */
    static HeldTable parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return unreadable("nft -j printed invalid JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode objects = root == null ? null : root.get("nftables");
        if (objects == null || !objects.isArray()) {
            return unreadable("nft -j printed JSON without an \"nftables\" array");
        }
        Map<String, HeldSet> sets = new LinkedHashMap<>();
        Map<String, List<HeldRule>> rules = new LinkedHashMap<>();
        Map<String, Optional<BaseChain>> chainHeads = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode object : objects) {
            String kind = object.fieldNames().hasNext() ? object.fieldNames().next() : "";
            JsonNode body = object.path(kind);
            switch (kind) {
                case "metainfo":
                    break;
                case "table":
                    // nft 1.0.6 prints table flags wrongly (the table name, or worse), so only their presence counts.
                    if (body.has("flags")) {
                        problems.add("unexpected table flags");
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
                    problems.add("unexpected " + kind + " " + body.path("name").asText("?"));
                    break;
            }
        }
        Map<String, HeldChain> chains = new LinkedHashMap<>();
        chainHeads.forEach((name, base) -> chains.put(name, new HeldChain(base, rules.getOrDefault(name, List.of()))));
        return new HeldTable(true, sets, chains, problems);
    }

    private static HeldTable unreadable(String why) {
        return new HeldTable(true, Map.of(), Map.of(), List.of(why));
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
