package org.ipmasq.agent.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One validated source of the config (one ConfigMap, or one file of a config directory), keeping
 * which keys it leaves out: in a merge, a key one source leaves out is for the others to set.
 * {@link ConfigMerge} turns a list of these into the {@link MasqConfig} in effect.
 *
 * @param nonMasqueradeCidrs the source's list, empty when the key is absent
 * @param forceMasqueradeCidrs the source's list, empty when the key is absent
 * @param cidrLimit the limit the source set for its own lists, empty when absent (the default applies)
 * @param masqLinkLocal whether the source asks for 169.254.0.0/16 to be masqueraded
 * @param masqLinkLocalIPv6 whether the source asks for fe80::/10 to be masqueraded
 * @param resyncInterval the interval the source set, empty when absent
 */
public record SourceConfig(
        Optional<List<Cidr>> nonMasqueradeCidrs,
        Optional<List<Cidr>> forceMasqueradeCidrs,
        Optional<Integer> cidrLimit,
        boolean masqLinkLocal,
        boolean masqLinkLocalIPv6,
        Optional<Duration> resyncInterval) {

    /** A document that sets nothing (empty, comments only, or {@code null}). */
    public static final SourceConfig EMPTY = new SourceConfig(Optional.empty(), Optional.empty(), Optional.empty(),
            false, false, Optional.empty());

    public SourceConfig {
        nonMasqueradeCidrs = nonMasqueradeCidrs.map(List::copyOf);
        forceMasqueradeCidrs = forceMasqueradeCidrs.map(List::copyOf);
        Objects.requireNonNull(cidrLimit, "cidrLimit");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
    }

    /** The limit this source's own lists were checked against. */
    public int effectiveCidrLimit() {
        return cidrLimit.orElse(MasqConfig.DEFAULT_CIDR_LIMIT);
    }

    /**
     * First 12 hex digits of the SHA-256 of the keys this source sets, in a canonical form: equal
     * content gives an equal hash on every node, whatever the formatting or comments.
     */
    public String hash() {
        String canonical = "nonMasqueradeCIDRs=" + nonMasqueradeCidrs.map(SourceConfig::joined).orElse("(unset)") + "\n"
                + "forceMasqueradeCIDRs=" + forceMasqueradeCidrs.map(SourceConfig::joined).orElse("(unset)") + "\n"
                + "cidrLimit=" + cidrLimit.map(String::valueOf).orElse("(unset)") + "\n"
                + "masqLinkLocal=" + masqLinkLocal + "\n"
                + "masqLinkLocalIPv6=" + masqLinkLocalIPv6 + "\n"
                + "resyncInterval=" + resyncInterval.map(Duration::toString).orElse("(unset)") + "\n";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String joined(List<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::text).collect(Collectors.joining(","));
    }
}
