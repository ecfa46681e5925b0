package org.ipmasq.agent.runtime;

/**
 * How the JVM starts the iptables and nft processes every pass runs. Java 17 on Linux defaults
 * to posix_spawn through a helper binary (jspawnhelper), two execs per command; vfork execs the
 * command directly and costs about 5 ms less CPU per command on the 2-core machines measured
 * (docs/benchmarks.md, "Agent on a loaded node"). An operator's own -D setting wins.
 */
final class ProcessLaunch {

    static final String PROPERTY = "jdk.lang.Process.launchMechanism";

    private ProcessLaunch() {
    }

    /** Must run before the first process is started: the JDK reads the property once. */
    static void preferVfork() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "VFORK");
        }
    }
}
