package org.ipmasq.agent.backend.iptables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nat table of one family, or the chains of it that were read, as {@code iptables-save -t nat}
 * or {@code iptables -S} printed them: which chains exist and the rule lines of each, verbatim, so they can be compared with rendered rules and fed back as
 * {@code -D} lines.
 */
record NatTable(Map<String, List<String>> rulesByChain) {

    NatTable {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        rulesByChain.forEach((chain, rules) -> copy.put(chain, List.copyOf(rules)));
        rulesByChain = java.util.Collections.unmodifiableMap(copy);
    }

    static NatTable parse(String saveOutput) {
        return parse(saveOutput, null);
    }

    /**
     * Parses only the declarations and rules of {@code keep} (all chains when null). On a node
     * with kube-proxy the save holds tens of thousands of foreign rules: each costs a prefix
     * test here instead of being split into words.
     */
    static NatTable parse(String saveOutput, List<String> keep) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        List<String> rulePrefixes = keep == null ? null : keep.stream().map(c -> "-A " + c + " ").toList();
        List<String> declarations = keep == null ? null : keep.stream().map(c -> ":" + c + " ").toList();
        boolean inNat = false;
        // Line by line through the text itself: a line is copied out only when it is kept, since
        // splitting 5.9 MB of kube-proxy's rules into 80,000 strings was most of a legacy pass's
        // own CPU (iptables-save's output is ASCII and unindented; a line with blanks around it
        // is judged by its first and last non-blank characters, as before).
        int length = saveOutput.length();
        for (int start = 0; start < length; ) {
            int newline = saveOutput.indexOf('\n', start);
            int end = newline < 0 ? length : newline;
            int from = start;
            while (from < end && Character.isWhitespace(saveOutput.charAt(from))) {
                from++;
            }
            start = end + 1;
            if (from == end) {
                continue;
            }
            char first = saveOutput.charAt(from);
            if (first == '*') {
                inNat = line(saveOutput, from, end).equals("*nat");
            } else if (!inNat || first == '#') {
                continue;
            } else if (first == ':') {
                if (declarations == null || startsWithAny(saveOutput, from, declarations)) {
                    String line = line(saveOutput, from, end);
                    int space = line.indexOf(' ');
                    chains.putIfAbsent(line.substring(1, space < 0 ? line.length() : space), new ArrayList<>());
                }
            } else if (saveOutput.startsWith("-A ", from)) {
                if (rulePrefixes == null || startsWithAny(saveOutput, from, rulePrefixes)) {
                    addRule(chains, line(saveOutput, from, end));
                }
            } else if (line(saveOutput, from, end).equals("COMMIT")) {
                inNat = false;
            }
        }
        return new NatTable(chains);
    }

    private static boolean startsWithAny(String text, int from, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (text.startsWith(prefix, from)) {
                return true;
            }
        }
        return false;
    }

    /** The line from {@code from} to {@code end}, blanks at its end removed. */
    private static String line(String text, int from, int end) {
        return text.substring(from, end).strip();
    }

    /**
     * Builds the table from {@code iptables -t nat -S CHAIN} listings, one per chain that exists:
     * "-P CHAIN POLICY" or "-N CHAIN" declares it, "-A" lines are its rules, as save prints them.
     */
    static NatTable fromListings(Map<String, String> listingByChain) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        listingByChain.forEach((chain, listing) -> {
            chains.putIfAbsent(chain, new ArrayList<>());
            for (String raw : listing.split("\n")) {
                String line = raw.strip();
                if (line.startsWith("-A ")) {
                    addRule(chains, line);
                }
            }
        });
        return new NatTable(chains);
    }

    private static void addRule(Map<String, List<String>> chains, String line) {
        List<String> words = RuleText.words(line);
        if (words.size() >= 2) {
            chains.computeIfAbsent(words.get(1), c -> new ArrayList<>()).add(line);
        }
    }

    boolean hasChain(String chain) {
        return rulesByChain.containsKey(chain);
    }

    List<String> rules(String chain) {
        return rulesByChain.getOrDefault(chain, List.of());
    }

    /** Rules of {@code fromChain} that jump (or go) to {@code target}, whatever their comment. */
    List<String> jumpsTo(String fromChain, String target) {
        List<String> jumps = new ArrayList<>();
        for (String rule : rules(fromChain)) {
            List<String> words = RuleText.words(rule);
            if (target.equals(RuleText.valueOf(words, "-j")) || target.equals(RuleText.valueOf(words, "-g"))) {
                jumps.add(rule);
            }
        }
        return jumps;
    }

    /** Every rule in any chain that jumps to {@code target}, as (chain, rule line) pairs kept in order. */
    List<String> allJumpsTo(String target) {
        List<String> jumps = new ArrayList<>();
        for (String chain : rulesByChain.keySet()) {
            jumps.addAll(jumpsTo(chain, target));
        }
        return jumps;
    }
}
