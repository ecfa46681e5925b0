package org.ipmasq.agent.core;

import java.util.Map;

/**
 * One way of enforcing the policy on a node (iptables, HNS, ...). A backend reads what the node
 * holds, compares it with what the policy wants, and writes only the difference, in one step.
 */
public interface MasqBackend {

    /** Short name for logs and health data, e.g. {@code iptables}. */
    String name();

    /** Facts worth showing in health data, e.g. {@code iptablesMode=nft}. */
    Map<String, String> details();

    /** Every change kind and tally a sync of this backend can report (metrics show each at 0 from the start). */
    ReportKinds reportKinds();

    /** Brings the node in line with {@code policy}; writes nothing when it already is. */
    SyncReport sync(MasqPolicy policy) throws BackendException;

    /** The exact text a sync would write now, without writing it; empty when nothing would be. */
    String plan(MasqPolicy policy) throws BackendException;

    /** Removes everything this backend put on the node. */
    SyncReport cleanup() throws BackendException;

    /** The exact text cleanup would write now, without writing it. */
    String planCleanup() throws BackendException;
}
