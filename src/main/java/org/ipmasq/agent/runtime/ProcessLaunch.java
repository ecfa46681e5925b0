package org.ipmasq.agent.runtime;

/**
 * How the JVM starts the iptables and nft processes every pass runs. Java 17 on Linux defaults
 * to posix_spawn through a helper binary (jspawnhelper), two execs per command; vfork execs the
 * command directly and costs about 5 ms less CPU per command on the 2-core machines measured
 * (docs/benchmarks.md, "Agent on a loaded node"). An operator's own -D setting wins.
 *
 * <p>Only up to Java 21. Newer JDKs deprecate VFORK ("dangerous", to be removed) and print a
 * warning when it is chosen; and on Java 25 the agent was seen starting commands through
 * jspawnhelper even with the property set here, so the JDK's default is left alone there.
 */
final class ProcessLaunch {

    static final String PROPERTY = "jdk.lang.Process.launchMechanism";
    /** The newest Java that takes VFORK without a deprecation warning. */
    static final int LAST_QUIET_VFORK = 21;

    private ProcessLaunch() {
    }

    /** Must run before the first process is started: the JDK reads the property once. */
    static void preferVfork() {
        if (System.getProperty(PROPERTY) == null && Runtime.version().feature() <= LAST_QUIET_VFORK) {
            System.setProperty(PROPERTY, "VFORK");
        }
    }
}
