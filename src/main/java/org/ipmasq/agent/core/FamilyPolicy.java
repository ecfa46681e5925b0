package org.ipmasq.agent.core;

import java.util.List;
import org.ipmasq.agent.config.Cidr;

/**
 * What one address family must do, in rule order: keep link-local (unless told otherwise),
 * always masquerade the forced ranges, keep the non-masquerade ranges, masquerade the rest.
 */
public record FamilyPolicy(IpFamily family, boolean keepLinkLocal, List<Cidr> forceMasquerade, List<Cidr> nonMasquerade) {

    public FamilyPolicy {
        forceMasquerade = List.copyOf(forceMasquerade);
        nonMasquerade = List.copyOf(nonMasquerade);
    }
}
