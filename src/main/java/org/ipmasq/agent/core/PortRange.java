package org.ipmasq.agent.core;

/** One inclusive range of source ports for MASQUERADE --to-ports. */
public record PortRange(int first, int last) {

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("bad port range " + first + "-" + last);
        }
    }

    public int size() {
        return last - first + 1;
    }

    /** The form iptables takes and prints: {@code 1024-29999}, or a single port. */
    public String text() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
