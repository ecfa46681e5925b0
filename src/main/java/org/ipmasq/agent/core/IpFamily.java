package org.ipmasq.agent.core;

import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.config.ConfigException;

/** An address family with the link-local range that is never masqueraded by default. */
public enum IpFamily {
    IPV4("169.254.0.0/16"),
    IPV6("fe80::/10");

    private final Cidr linkLocal;

    IpFamily(String linkLocal) {
        try {
            this.linkLocal = Cidr.parse(linkLocal);
        } catch (ConfigException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public Cidr linkLocal() {
        return linkLocal;
    }

    public boolean contains(Cidr cidr) {
        return cidr.isIPv6() == (this == IPV6);
    }
}
