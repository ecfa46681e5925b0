package org.ipmasq.agent.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of {@code iptables -t nat -L CHAIN}, normalised so the seed's listing (names, "all",
 * "anywhere") and a numeric listing ({@code -n}: "0", "0.0.0.0/0") compare equal. A trailing
 * " random-fully" is dropped: the seed predates it and the issue accepts it.
 */
final class Listing {

    private Listing() {
    }

    static List<String> rows(String listing) {
        List<String> rows = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (line.isBlank() || line.startsWith("Chain ") || line.startsWith("target ")) {
                continue;
            }
            String[] cols = line.trim().split("\\s+", 6);
            String prot = cols[1].equals("0") ? "all" : cols[1];
            String source = cols[3].equals("0.0.0.0/0") || cols[3].equals("::/0") ? "anywhere" : cols[3];
            String destination = cols[4].equals("0.0.0.0/0") || cols[4].equals("::/0") ? "anywhere" : cols[4];
            String rest = cols.length > 5 ? cols[5].trim() : "";
            if (rest.endsWith(" random-fully")) {
                rest = rest.substring(0, rest.length() - " random-fully".length());
            }
            rows.add(String.join(" ", cols[0], prot, cols[2], source, destination, rest));
        }
        return rows;
    }
}
