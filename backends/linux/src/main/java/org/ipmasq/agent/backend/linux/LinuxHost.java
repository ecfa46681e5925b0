package org.ipmasq.agent.backend.linux;

import java.util.List;
import java.util.Locale;
import org.ipmasq.agent.exec.CommandRunner;

/** What the two Linux backends ask of a host before they offer themselves for --backend=auto. */
public final class LinuxHost {

    /** Any of these means iptables is installed, in one flavour or the other. */
    private static final List<String> IPTABLES_SAVE = List.of("iptables-nft-save", "iptables-legacy-save", "iptables-save");

    private LinuxHost() {
    }

    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    public static boolean hasIptables(CommandRunner runner) {
        return IPTABLES_SAVE.stream().anyMatch(runner::exists);
    }
}
