package org.ipmasq.agent.backend.iptables;

import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.IpFamily;

/**
 * Reads what a pass must see of one family's nat table: POSTROUTING and the agent's chain. How
 * depends on the flavour, because what a read costs does (see {@link ChainListingReader} and
 * {@link SaveReader}); both give the same {@link NatTable} for those two chains.
 */
interface NatReader {

    NatTable read(IpFamily family) throws BackendException;

    /** The commands one read runs, for the dry run's header and the docs. */
    String describe(IpFamily family);
}
