package org.ipmasq.agent.cli;

/** What this start of the agent is for. */
public enum RunMode {
    /** Keep running: resync on an interval, serve health. */
    DAEMON,
    /** Apply once and exit (with --dry-run: print what would be applied). */
    SYNC_ONCE,
    /** Remove the chain and the POSTROUTING jump, then exit. */
    CLEANUP,
    /** Print usage and exit. */
    HELP;

    public boolean oneShot() {
        return this != DAEMON;
    }
}
