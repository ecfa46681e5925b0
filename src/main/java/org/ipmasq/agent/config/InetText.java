package org.ipmasq.agent.config;

/**
 * Writes IP addresses exactly the way glibc's {@code inet_ntop} does, because that is what
 * {@code iptables-save}/{@code ip6tables-save} print and rule text is compared against their output.
 * RFC 5952 style (lower case, longest run of two or more zero groups compressed, first run on a
 * tie), plus glibc's quirk of writing IPv4-mapped ({@code ::ffff:a.b.c.d}) and IPv4-compatible
 * ({@code ::a.b.c.d}) addresses with a dotted tail.
 */
final class InetText {

    private InetText() {
    }

    /** Formats a 4-byte (IPv4) or 16-byte (IPv6) address. */
    static String format(byte[] address) {
        return switch (address.length) {
            case 4 -> ipv4(address, 0);
            case 16 -> ipv6(address);
            default -> throw new IllegalArgumentException("not an IP address: " + address.length + " bytes");
        };
    }

    private static String ipv4(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) + "." + (bytes[offset + 1] & 0xff) + "."
                + (bytes[offset + 2] & 0xff) + "." + (bytes[offset + 3] & 0xff);
    }

    private static String ipv6(byte[] bytes) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }

        // Longest run of zero words; a later run must be strictly longer to win.
        int bestBase = -1;
        int bestLength = 0;
        int runBase = -1;
        for (int i = 0; i <= 8; i++) {
            if (i < 8 && words[i] == 0) {
                if (runBase < 0) {
                    runBase = i;
                }
            } else if (runBase >= 0) {
                if (i - runBase > bestLength) {
                    bestBase = runBase;
                    bestLength = i - runBase;
                }
                runBase = -1;
            }
        }
        if (bestLength < 2) {
            bestBase = -1; // a single zero group is written out, not compressed
        }

        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLength) {
                if (i == bestBase) {
                    out.append(':');
                }
                continue;
            }
            if (i != 0) {
                out.append(':');
            }
            boolean dottedTail = i == 6 && bestBase == 0
                    && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff));
            if (dottedTail) {
                return out.append(ipv4(bytes, 12)).toString();
            }
            out.append(Integer.toHexString(words[i]));
        }
        if (bestBase >= 0 && bestBase + bestLength == 8) {
            out.append(':');
        }
        return out.toString();
    }
}
