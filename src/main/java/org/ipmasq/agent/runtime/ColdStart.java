package org.ipmasq.agent.runtime;

import org.ipmasq.agent.config.ConfigParser;

/**
 * What a cold start can do ahead of need. A one-shot run and the daemon's first pass spend their
 * first tenths of a second finding the backends (the first reflective construction alone takes
 * 15-20 ms on Java 25) and waiting on the backend's probes (iptables and nft child processes),
 * and then load the config parser's classes. {@code Main} starts the loading on a second thread
 * before anything else, so it overlaps all of that on a node's second core.
 */
final class ColdStart {

    private ColdStart() {
    }

    /** Loads the config parser on a daemon thread; returns at once. */
    static void warmUpConfigParser() {
        Thread thread = new Thread(ConfigParser::warmUp, "ip-masq-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
