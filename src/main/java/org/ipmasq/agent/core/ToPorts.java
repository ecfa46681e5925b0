package org.ipmasq.agent.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The value of {@code --to-ports}: zero or more port ranges, in the operator's order. Lives in
 * core because both Linux renderers read it; the command line only hands it over.
 */
public record ToPorts(List<PortRange> ranges) {

    public static final ToPorts NONE = new ToPorts(List.of());

    public ToPorts {
        ranges = List.copyOf(ranges);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * One range's share of new connections: it takes {@code range.size()} of {@code portsFromHere}
     * (its own ports and those of every later range) of the connections earlier ranges left; the
     * last range takes the rest. Both Linux renderers spread connections over the ports this way.
     */
    public record Share(PortRange range, int portsFromHere, boolean last) {
    }

    /** The ranges in order, each with its share; empty without --to-ports. */
    public List<Share> shares() {
        List<Share> shares = new ArrayList<>();
        int left = ranges.stream().mapToInt(PortRange::size).sum();
        for (int i = 0; i < ranges.size(); i++) {
            shares.add(new Share(ranges.get(i), left, i == ranges.size() - 1));
            left -= ranges.get(i).size();
        }
        return shares;
    }

    /**
     * Parses {@code 1024-29999,32768-65535}; every port must lie in 1-65535.
     *
     * @throws IllegalArgumentException with a message that says what is wrong with which part,
     *         for the command line to prefix with the flag's name
     */
    public static ToPorts parse(String text) {
        if (text.isEmpty()) {
            return NONE;
        }
        List<PortRange> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] bounds = part.split("-", -1);
            if (part.isEmpty() || bounds.length > 2) {
                throw new IllegalArgumentException("\"" + part + "\" is not a port or a range like 1024-29999");
            }
            int first = port(bounds[0], part);
            int last = bounds.length == 2 ? port(bounds[1], part) : first;
            if (first > last) {
                throw new IllegalArgumentException("range \"" + part + "\" ends before it starts");
            }
            ranges.add(new PortRange(first, last));
        }
        return new ToPorts(ranges);
    }

    private static int port(String digits, String part) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("\"" + part + "\" is not a port or a range like 1024-29999");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
        }
        return port;
    }
}
