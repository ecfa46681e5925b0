package org.ipmasq.agent.backend.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * Stands in for the nft binary by modelling what the kernel holds, the way knftables' Fake does:
 * tables, chains (base chains with hook, priority and policy), interval sets (auto-merge joins
 * overlapping and adjacent pieces) and rules with handles. {@code nft -f -} input is parsed and
 * applied as one transaction: a copy of the state takes every command, and replaces the state
 * only if all succeeded; a failure is reported as nft reports it, naming the input line.
 * {@code nft -j list table} is answered from the state in the JSON shape of nftables 1.0.6 (see
 * {@link RecordedNft}; {@code FakeNftTest} checks the two agree).
 *
 * <p>Rule statements are parsed into the JSON nft prints for them, independently of the agent's
 * {@link Expr}: only the statements the agent writes are understood, and anything else is the
 * syntax error nft would give. References behave as in the kernel: a rule may name only a set
 * or chain that exists, and a set or chain still referenced, or a chain that holds rules, cannot
 * be deleted.
 */
final class FakeNft implements CommandRunner {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Every {@code nft -f} input, successful or not, in order. */
    final List<String> transactions = new ArrayList<>();
    /** Every command line, in order. */
    final List<List<String>> calls = new ArrayList<>();

    private Map<String, Table> tables = new LinkedHashMap<>();

    @Override
    public CommandResult run(List<String> argv, String stdin) {
        calls.add(argv);
        if (argv.equals(List.of("nft", "--version"))) {
            return new CommandResult(argv, 0, "nftables v1.0.6 (Lester Gooch #5)\n", "");
        }
        if (argv.equals(List.of("nft", "-f", "-"))) {
            transactions.add(stdin);
            return apply(argv, stdin);
        }
        if (argv.size() == 6 && argv.subList(0, 4).equals(List.of("nft", "-j", "list", "table"))) {
            Table table = tables.get(argv.get(4) + " " + argv.get(5));
            if (table == null) {
                return new CommandResult(argv, 1, "", "Error: No such file or directory\nlist table " + argv.get(4)
                        + " " + argv.get(5) + "\n");
            }
            return new CommandResult(argv, 0, table.listing(argv.get(4), argv.get(5)).toString(), "");
        }
        return new CommandResult(argv, 2, "", "fake nft: unsupported " + argv);
    }

    @Override
    public boolean exists(String program) {
        return program.equals("nft");
    }

    /** Applies {@code input} as an operator would with {@code nft -f}; throws if nft would refuse it. */
    void operator(String input) {
        CommandResult result = apply(List.of("nft", "-f", "-"), input);
        if (!result.succeeded()) {
            throw new IllegalStateException(result.stderr());
        }
    }

    /** The listing of a table without handles, which differ between two equal histories; empty when absent. */
    Optional<JsonNode> contents(String family, String name) {
        Table table = tables.get(family + " " + name);
        return table == null ? Optional.empty() : Optional.of(withoutHandles(table.listing(family, name)));
    }

    /** The handle of the rule in {@code chain} whose statement (without comment) is {@code statement}. */
    int ruleHandle(String family, String name, String chain, String statement) {
        return tables.get(family + " " + name).chains.get(chain).rules.stream()
                .filter(r -> r.statement.equals(statement)).findFirst().orElseThrow().handle;
    }

    static JsonNode withoutHandles(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JSON.objectNode();
            node.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("handle") && !f.getKey().equals("metainfo")) {
                    copy.set(f.getKey(), withoutHandles(f.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.arrayNode();
            node.forEach(e -> {
                if (!e.has("metainfo")) {
                    copy.add(withoutHandles(e));
                }
            });
            return copy;
        }
        return node;
    }

    private CommandResult apply(List<String> argv, String input) {
        Map<String, Table> working = new LinkedHashMap<>();
        tables.forEach((key, table) -> working.put(key, table.copy()));
        List<Command> commands = commands(input);
        for (Command command : commands) {
            try {
                execute(working, command.text());
            } catch (NftError e) {
                String where = "/dev/stdin:" + command.line() + ":1-" + command.text().lines().findFirst().orElse("")
                        .length();
                return new CommandResult(argv, 1, "", where + ": Error: " + e.getMessage() + "\n"
                        + command.text().lines().findFirst().orElse("") + "\n");
            }
        }
        tables = working;
        return new CommandResult(argv, 0, "", "");
    }

    private record Command(int line, String text) {
    }

    /** One command a line, except that a command continues while a brace is open. */
    private static List<Command> commands(String input) {
        List<Command> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        int start = 0;
        String[] lines = input.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (current.length() == 0) {
                if (line.isBlank()) {
                    continue;
                }
                start = i + 1;
            } else {
                current.append('\n');
            }
            current.append(line);
            depth += line.chars().filter(c -> c == '{').count() - line.chars().filter(c -> c == '}').count();
            if (depth == 0) {
                commands.add(new Command(start, current.toString().strip()));
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            commands.add(new Command(start, current.toString().strip()));
        }
        return commands;
    }

    private static final class NftError extends Exception {
        NftError(String message) {
            super(message);
        }
    }

    private static final Pattern HEAD = Pattern.compile(
            "(add|delete|flush|insert) (table|chain|set|element|rule) (ip6?) (\\S+)(?: (\\S+))?\\s*(.*)", Pattern.DOTALL);

    private static void execute(Map<String, Table> tables, String text) throws NftError {
        Matcher m = HEAD.matcher(text);
        if (!m.matches()) {
            throw new NftError("syntax error, unexpected " + text.split("\\s+")[0]);
        }
        String verb = m.group(1);
        String object = m.group(2);
        String key = m.group(3) + " " + m.group(4);
        String name = m.group(5);
        String rest = m.group(6).strip();
        if (object.equals("table")) {
            String flags = ((name == null ? "" : name) + " " + rest).strip();
            switch (verb) {
                case "add" -> {
                    Table table = tables.computeIfAbsent(key, k -> new Table());
                    if (flags.matches("\\{\\s*flags dormant;?\\s*}")) {
                        table.dormant = true;
                    } else if (!flags.isEmpty()) {
                        throw new NftError("syntax error in table declaration: " + flags);
                    }
                }
                case "delete" -> {
                    if (tables.remove(key) == null) {
                        throw new NftError("Could not process rule: No such file or directory");
                    }
                }
                default -> throw new NftError("syntax error, unexpected " + verb + " table");
            }
            return;
        }
        Table table = tables.get(key);
        if (table == null || name == null) {
            throw new NftError("Could not process rule: No such file or directory");
        }
        switch (object) {
            case "set" -> table.set(verb, name, rest);
            case "element" -> table.element(verb, name, rest);
            case "chain" -> table.chain(verb, name, rest);
            case "rule" -> table.rule(verb, name, rest);
            default -> throw new NftError("syntax error");
        }
    }

    private static final class Table {
        boolean dormant;
        int nextHandle = 1;
        final Map<String, Set> sets = new LinkedHashMap<>();
        final Map<String, Chain> chains = new LinkedHashMap<>();

        Table copy() {
            Table copy = new Table();
            copy.dormant = dormant;
            copy.nextHandle = nextHandle;
            sets.forEach((n, s) -> copy.sets.put(n, s.copy()));
            chains.forEach((n, c) -> copy.chains.put(n, c.copy()));
            return copy;
        }

        private static final Pattern SET_DECLARATION = Pattern.compile(
                "\\{\\s*type (ipv4_addr|ipv6_addr);\\s*(flags interval;)?\\s*(auto-merge;)?\\s*}");

        void set(String verb, String name, String rest) throws NftError {
            switch (verb) {
                case "add" -> {
                    Matcher m = SET_DECLARATION.matcher(rest);
                    if (!m.matches()) {
                        throw new NftError("syntax error in set declaration: " + rest);
                    }
                    Set existing = sets.get(name);
                    if (existing == null) {
                        sets.put(name, new Set(nextHandle++, m.group(1), m.group(2) != null, m.group(3) != null));
                    } else if (!existing.type.equals(m.group(1)) || existing.interval != (m.group(2) != null)) {
                        throw new NftError("Could not process rule: File exists");
                    }
                }
                case "flush" -> existingSet(name).ranges.clear();
                case "delete" -> {
                    existingSet(name);
                    if (references("@" + name)) {
                        throw new NftError("Could not process rule: Device or resource busy");
                    }
                    sets.remove(name);
                }
                default -> throw new NftError("syntax error, unexpected " + verb + " set");
            }
        }

        Set existingSet(String name) throws NftError {
            Set set = sets.get(name);
            if (set == null) {
                throw new NftError("Could not process rule: No such file or directory");
            }
            return set;
        }

        void element(String verb, String name, String rest) throws NftError {
            Set set = existingSet(name);
            if (!rest.startsWith("{") || !rest.endsWith("}")) {
                throw new NftError("syntax error, unexpected element list " + rest);
            }
            List<IPAddressSeqRange> given = new ArrayList<>();
            for (String element : rest.substring(1, rest.length() - 1).split(",")) {
                if (!element.isBlank()) {
                    given.add(set.parse(element.strip()));
                }
            }
            switch (verb) {
                case "add" -> set.add(given);
                case "delete" -> {
                    for (IPAddressSeqRange range : given) {
                        if (!set.ranges.remove(range)) {
                            throw new NftError("Could not process rule: No such file or directory");
                        }
                    }
                }
                default -> throw new NftError("syntax error, unexpected " + verb + " element");
            }
        }

        private static final Pattern BASE = Pattern.compile(
                "\\{\\s*type (\\w+) hook (\\w+) priority (\\w+|-?\\d+);\\s*policy (accept|drop);\\s*}");

        void chain(String verb, String name, String rest) throws NftError {
            switch (verb) {
                case "add" -> {
                    Optional<BaseChain> base = Optional.empty();
                    if (!rest.isEmpty()) {
                        Matcher m = BASE.matcher(rest);
                        if (!m.matches()) {
                            throw new NftError("syntax error in chain declaration: " + rest);
                        }
                        int priority = m.group(3).equals("srcnat") ? 100 : Integer.parseInt(m.group(3));
                        base = Optional.of(new BaseChain(m.group(1), m.group(2), priority, m.group(4)));
                    }
                    Chain existing = chains.get(name);
                    if (existing == null) {
                        chains.put(name, new Chain(nextHandle++, base));
                    } else if (base.isPresent() && existing.base.isPresent()
                            && sameHook(base.get(), existing.base.get())) {
                        existing.base = base; // nft updates the policy of an existing base chain
                    } else if (base.isPresent() || existing.base.isPresent()) {
                        throw new NftError("Could not process rule: Operation not supported");
                    }
                }
                case "flush" -> existingChain(name).rules.clear();
                case "delete" -> {
                    Chain chain = existingChain(name);
                    if (!chain.rules.isEmpty() || references("goto " + name) || references("jump " + name)) {
                        throw new NftError("Could not process rule: Device or resource busy");
                    }
                    chains.remove(name);
                }
                default -> throw new NftError("syntax error, unexpected " + verb + " chain");
            }
        }

        private static boolean sameHook(BaseChain a, BaseChain b) {
            return a.type().equals(b.type()) && a.hook().equals(b.hook()) && a.priority() == b.priority();
        }

        Chain existingChain(String name) throws NftError {
            Chain chain = chains.get(name);
            if (chain == null) {
                throw new NftError("Could not process rule: No such file or directory");
            }
            return chain;
        }

        private static final Pattern COMMENTED = Pattern.compile("(.*?)(?: comment \"([^\"]*)\")?");
        private static final Pattern HANDLE = Pattern.compile("handle (\\d+)");

        void rule(String verb, String chainName, String rest) throws NftError {
            Chain chain = existingChain(chainName);
            if (verb.equals("delete")) {
                Matcher m = HANDLE.matcher(rest);
                if (!m.matches() || !chain.rules.removeIf(r -> r.handle == Integer.parseInt(m.group(1)))) {
                    throw new NftError("Could not process rule: No such file or directory");
                }
                return;
            }
            Matcher m = COMMENTED.matcher(rest);
            m.matches();
            String statement = m.group(1).strip();
            ArrayNode expr = RuleStatements.parse(statement);
            for (JsonNode part : expr) {
                String target = part.path("goto").path("target").asText(part.path("jump").path("target").asText(null));
                if (target != null && !chains.containsKey(target)) {
                    throw new NftError("Could not process rule: No such file or directory");
                }
                JsonNode right = part.path("match").path("right");
                if (right.isTextual() && right.asText().startsWith("@") && !sets.containsKey(right.asText().substring(1))) {
                    throw new NftError("Could not process rule: No such file or directory");
                }
            }
            Rule rule = new Rule(nextHandle++, statement, Optional.ofNullable(m.group(2)), expr);
            switch (verb) {
                case "add" -> chain.rules.add(rule);
                case "insert" -> chain.rules.add(0, rule);
                default -> throw new NftError("syntax error, unexpected " + verb + " rule");
            }
        }

        boolean references(String words) {
            return chains.values().stream().flatMap(c -> c.rules.stream())
                    .anyMatch(r -> (" " + r.statement + " ").contains(" " + words + " "));
        }

        /** What {@code nft -j list table} prints: table, sets, chains, then rules chain by chain. */
        JsonNode listing(String family, String name) {
            ArrayNode objects = JSON.arrayNode();
            objects.addObject().putObject("metainfo").put("version", "1.0.6").put("json_schema_version", 1);
            ObjectNode table = objects.addObject().putObject("table");
            table.put("family", family).put("name", name).put("handle", 0);
            if (dormant) {
                table.putArray("flags").add("dormant");
            }
            sets.forEach((setName, set) -> {
                ObjectNode body = objects.addObject().putObject("set");
                body.put("family", family).put("name", setName).put("table", name).put("type", set.type)
                        .put("handle", set.handle);
                if (set.interval) {
                    body.putArray("flags").add("interval");
                }
                if (!set.ranges.isEmpty()) {
                    ArrayNode elements = body.putArray("elem");
                    set.ranges.forEach(range -> elements.add(Set.element(range)));
                }
            });
            chains.forEach((chainName, chain) -> {
                ObjectNode body = objects.addObject().putObject("chain");
                body.put("family", family).put("table", name).put("name", chainName).put("handle", chain.handle);
                chain.base.ifPresent(base -> body.put("type", base.type()).put("hook", base.hook())
                        .put("prio", base.priority()).put("policy", base.policy()));
            });
            chains.forEach((chainName, chain) -> chain.rules.forEach(rule -> {
                ObjectNode body = objects.addObject().putObject("rule");
                body.put("family", family).put("table", name).put("chain", chainName).put("handle", rule.handle);
                rule.comment.ifPresent(c -> body.put("comment", c));
                body.set("expr", rule.expr.deepCopy());
            }));
            ObjectNode root = JSON.objectNode();
            root.set("nftables", objects);
            return root;
        }
    }

    private static final class Set {
        final int handle;
        final String type;
        final boolean interval;
        final boolean autoMerge;
        final List<IPAddressSeqRange> ranges = new ArrayList<>();

        Set(int handle, String type, boolean interval, boolean autoMerge) {
            this.handle = handle;
            this.type = type;
            this.interval = interval;
            this.autoMerge = autoMerge;
        }

        Set copy() {
            Set copy = new Set(handle, type, interval, autoMerge);
            copy.ranges.addAll(ranges);
            return copy;
        }

        IPAddressSeqRange parse(String element) throws NftError {
            try {
                int dash = element.indexOf('-');
                IPAddress lower = new IPAddressString(dash < 0 ? element : element.substring(0, dash)).toAddress();
                if ((lower.isIPv4() ? "ipv4_addr" : "ipv6_addr").equals(type) == false) {
                    throw new NftError("datatype mismatch, expected " + type + ", got " + element);
                }
                if (dash >= 0) {
                    if (!interval) {
                        throw new NftError("You must add 'flags interval' to your set");
                    }
                    return lower.spanWithRange(new IPAddressString(element.substring(dash + 1)).toAddress());
                }
                if (lower.isPrefixed() && !interval) {
                    throw new NftError("You must add 'flags interval' to your set");
                }
                return lower.toPrefixBlock().toSequentialRange();
            } catch (inet.ipaddr.AddressStringException e) {
                throw new NftError("syntax error, unexpected element " + element);
            }
        }

        void add(List<IPAddressSeqRange> given) throws NftError {
            List<IPAddressSeqRange> all = new ArrayList<>(ranges);
            for (IPAddressSeqRange range : given) {
                if (!autoMerge && all.stream().anyMatch(r -> r.overlaps(range))) {
                    throw new NftError("Could not process rule: File exists (conflicting intervals)");
                }
                all.add(range);
            }
            ranges.clear();
            ranges.addAll(autoMerge ? List.of(IPAddressSeqRange.join(all.toArray(IPAddressSeqRange[]::new))) : all);
            ranges.sort(Comparator.comparing(IPAddressSeqRange::getLower));
        }

        /** A plain address, a prefix object when the range is one block, else a range object. */
        static JsonNode element(IPAddressSeqRange range) {
            IPAddress[] blocks = range.spanWithPrefixBlocks();
            String lower = range.getLower().withoutPrefixLength().toCanonicalString();
            if (blocks.length == 1) {
                Integer length = blocks[0].getPrefixLength();
                if (length == null || length == range.getBitCount()) {
                    return JSON.textNode(lower);
                }
                ObjectNode prefix = JSON.objectNode();
                prefix.putObject("prefix").put("addr", lower).put("len", length);
                return prefix;
            }
            ObjectNode element = JSON.objectNode();
            element.putArray("range").add(lower).add(range.getUpper().withoutPrefixLength().toCanonicalString());
            return element;
        }
    }

    private static final class Chain {
        final int handle;
        Optional<BaseChain> base;
        final List<Rule> rules = new ArrayList<>();

        Chain(int handle, Optional<BaseChain> base) {
            this.handle = handle;
            this.base = base;
        }

        Chain copy() {
            Chain copy = new Chain(handle, base);
            copy.rules.addAll(rules);
            return copy;
        }
    }

    private record Rule(int handle, String statement, Optional<String> comment, ArrayNode expr) {
    }

    /**
     * nft's statement syntax to the JSON it prints, for the statements the agent writes; the
     * shapes are those of {@link RecordedNft}. Written apart from {@link Expr} on purpose: the
     * agent's two forms of a rule are checked against this third reading.
     */
    static final class RuleStatements {

        private RuleStatements() {
        }

        static ArrayNode parse(String statement) throws NftError {
            List<String> words = new ArrayList<>(List.of(statement.split("\\s+")));
            ArrayNode expr = JSON.arrayNode();
            while (!words.isEmpty()) {
                String word = words.remove(0);
                switch (word) {
                    case "fib" -> {
                        expect(words, "daddr", "type");
                        ObjectNode fib = JSON.objectNode().put("result", "type");
                        fib.putArray("flags").add("daddr");
                        expr.add(match("==", wrap("fib", fib), JSON.textNode(next(words))));
                    }
                    case "ip", "ip6" -> {
                        expect(words, "daddr");
                        ObjectNode payload = JSON.objectNode().put("protocol", word).put("field", "daddr");
                        expr.add(match("==", wrap("payload", payload), address(next(words))));
                    }
                    case "meta" -> {
                        expect(words, "l4proto");
                        expr.add(match("==", wrap("meta", JSON.objectNode().put("key", "l4proto")),
                                JSON.textNode(next(words))));
                    }
                    case "numgen" -> {
                        expect(words, "random", "mod");
                        int mod = number(next(words));
                        expect(words, "<");
                        ObjectNode numgen = JSON.objectNode().put("mode", "random").put("mod", mod).put("offset", 0);
                        expr.add(match("<", wrap("numgen", numgen), JSON.numberNode(number(next(words)))));
                    }
                    case "return" -> expr.addObject().putNull("return");
                    case "goto", "jump" -> expr.add(wrap(word, JSON.objectNode().put("target", next(words))));
                    case "masquerade" -> expr.add(masquerade(words));
                    default -> throw new NftError("syntax error, unexpected " + word);
                }
            }
            return expr;
        }

        private static ObjectNode masquerade(List<String> words) throws NftError {
            ObjectNode body = JSON.objectNode();
            if (!words.isEmpty() && words.get(0).equals("to")) {
                words.remove(0);
                String ports = next(words);
                if (!ports.startsWith(":")) {
                    throw new NftError("syntax error, unexpected " + ports);
                }
                String[] bounds = ports.substring(1).split("-");
                if (bounds.length == 1) {
                    body.put("port", number(bounds[0]));
                } else {
                    body.set("port", wrap("range", JSON.arrayNode().add(number(bounds[0])).add(number(bounds[1]))));
                }
            }
            if (!words.isEmpty() && words.get(0).equals("fully-random")) {
                words.remove(0);
                body.put("flags", "fully-random");
            }
            ObjectNode statement = JSON.objectNode();
            if (body.isEmpty()) {
                statement.putNull("masquerade");
            } else {
                statement.set("masquerade", body);
            }
            return statement;
        }

        private static JsonNode address(String text) throws NftError {
            if (text.startsWith("@")) {
                return JSON.textNode(text);
            }
            IPAddress address = new IPAddressString(text).getAddress();
            if (address == null) {
                throw new NftError("syntax error, unexpected " + text);
            }
            if (!address.isPrefixed()) {
                return JSON.textNode(address.toCanonicalString());
            }
            ObjectNode prefix = JSON.objectNode();
            prefix.putObject("prefix").put("addr", address.toPrefixBlock().getLower().withoutPrefixLength().toCanonicalString())
                    .put("len", address.getPrefixLength());
            return prefix;
        }

        private static ObjectNode match(String op, JsonNode left, JsonNode right) {
            ObjectNode match = JSON.objectNode().put("op", op);
            match.set("left", left);
            match.set("right", right);
            return wrap("match", match);
        }

        private static ObjectNode wrap(String key, JsonNode value) {
            ObjectNode wrapper = JSON.objectNode();
            wrapper.set(key, value);
            return wrapper;
        }

        private static String next(List<String> words) throws NftError {
            if (words.isEmpty()) {
                throw new NftError("syntax error, unexpected end of statement");
            }
            return words.remove(0);
        }

        private static void expect(List<String> words, String... expected) throws NftError {
            for (String word : expected) {
                String got = next(words);
                if (!got.equals(word)) {
                    throw new NftError("syntax error, unexpected " + got + ", expecting " + word);
                }
            }
        }

        private static int number(String text) throws NftError {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new NftError("syntax error, unexpected " + text);
            }
        }
    }

    /** For tests that compare listings: the JSON text parsed back. */
    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
