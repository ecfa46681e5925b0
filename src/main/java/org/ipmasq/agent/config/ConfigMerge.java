package org.ipmasq.agent.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The config in effect from several sources, in source order (the primary first). The rules:
 *
 * <ul>
 *   <li>{@code nonMasqueradeCIDRs}, {@code forceMasqueradeCIDRs}: the union of the sources that
 *       set the key, in source order, each CIDR once (its first place kept). When no source sets
 *       the key, the default list (flag-dependent for the first).</li>
 *   <li>{@code masqLinkLocal}, {@code masqLinkLocalIPv6}: true when any source says true. A
 *       source that needs link-local masqueraded (a cloud whose metadata service must see node
 *       addresses) cannot be overruled by another that merely leaves it out.</li>
 *   <li>{@code resyncInterval}: the first source in order that sets it, else 60s. It is one
 *       setting for the node, not additive: the primary's owner decides, and a later source
 *       fills it in only when the primary is silent.</li>
 *   <li>{@code cidrLimit}: each source's lists are checked against that source's own limit
 *       (its {@code cidrLimit}, else 64) when it is parsed, so whether a source is valid never
 *       depends on another source's content: a cloud controller's edit can never turn the
 *       user's ConfigMap invalid, nor the reverse. The merged value is the sum of the sources'
 *       limits, which keeps the merged lists within the merged limit (a union is never longer
 *       than the sum of its parts). One source gives exactly its own limit.</li>
 * </ul>
 *
 * With a single source the result is exactly what that document means on its own.
 */
public final class ConfigMerge {

    private ConfigMerge() {
    }

    /** Merges {@code sources} (in order; may be empty, which gives the defaults). */
    public static MasqConfig merge(List<SourceConfig> sources, ParseContext ctx) {
        if (sources.isEmpty()) {
            return MasqConfig.defaults(ctx);
        }
        long limit = 0;
        boolean linkLocal = false;
        boolean linkLocalIPv6 = false;
        Optional<Duration> interval = Optional.empty();
        for (SourceConfig source : sources) {
            limit += source.effectiveCidrLimit();
            linkLocal |= source.masqLinkLocal();
            linkLocalIPv6 |= source.masqLinkLocalIPv6();
            interval = interval.or(source::resyncInterval);
        }
        List<Cidr> nonMasquerade = union(sources.stream().map(SourceConfig::nonMasqueradeCidrs).toList())
                .orElse(ctx.defaultNonMasqueradeCidrs());
        List<Cidr> forceMasquerade = union(sources.stream().map(SourceConfig::forceMasqueradeCidrs).toList())
                .orElse(List.of());
        return new MasqConfig(nonMasquerade, forceMasquerade, (int) Math.min(limit, Integer.MAX_VALUE),
                linkLocal, linkLocalIPv6, interval.orElse(MasqConfig.DEFAULT_RESYNC));
    }

    /** Empty when no source sets the list; an explicitly empty list counts as set. */
    private static Optional<List<Cidr>> union(List<Optional<List<Cidr>>> lists) {
        Set<Cidr> out = new LinkedHashSet<>();
        boolean anySet = false;
        for (Optional<List<Cidr>> list : lists) {
            if (list.isPresent()) {
                anySet = true;
                out.addAll(list.get());
            }
        }
        return anySet ? Optional.of(List.copyOf(out)) : Optional.empty();
    }
}
