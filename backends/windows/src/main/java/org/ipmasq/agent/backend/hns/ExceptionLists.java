package org.ipmasq.agent.backend.hns;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.config.ConfigException;

/**
 * Comparison of exception lists as sets, the way HNS applies them: order and duplicates do not
 * matter, and {@code 10.0.0.0/08}-style spellings equal their canonical form. An entry that is
 * not a CIDR (HNS or a person may have written a bare address) is compared as written.
 */
final class ExceptionLists {

    private ExceptionLists() {
    }

    static Set<String> normalised(List<String> entries) {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : entries) {
            out.add(canonical(entry));
        }
        return out;
    }

    static boolean same(List<String> a, List<String> b) {
        return normalised(a).equals(normalised(b));
    }

    /** Entries of {@code wanted} not in {@code current}, in wanted's order. */
    static List<String> added(List<String> current, List<String> wanted) {
        Set<String> have = normalised(current);
        return normalised(wanted).stream().filter(e -> !have.contains(e)).toList();
    }

    /** Entries of {@code current} not in {@code wanted}, in current's order. */
    static List<String> removed(List<String> current, List<String> wanted) {
        return added(wanted, current);
    }

    private static String canonical(String entry) {
        try {
            return Cidr.parse(entry.strip()).text();
        } catch (ConfigException notACidr) {
            return entry.strip();
        }
    }
}
