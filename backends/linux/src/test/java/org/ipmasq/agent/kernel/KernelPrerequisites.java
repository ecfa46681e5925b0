package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Kernel tests need root, iproute2, both iptables flavours and the packaged agent. On a
 * developer's machine a missing piece skips them with the reason; in CI (CI=true) it fails
 * them, because a kernel test that silently does not run proves nothing.
 */
final class KernelPrerequisites {

    private static final List<String> TOOLS = List.of("ip", "iptables-legacy", "iptables-nft", "ip6tables-legacy",
            "ip6tables-nft", "iptables-legacy-save", "iptables-nft-save", "nft", "unshare", "mount");

    private KernelPrerequisites() {
    }

    static void check() {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (run as uid 0)");
        }
        for (String tool : TOOLS) {
            if (find(tool) == null) {
                missing.add(tool);
            }
        }
        if (!Files.isRegularFile(AgentProcess.agentJar())) {
            missing.add("the packaged agent at " + AgentProcess.agentJar() + " (run mvn verify)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String why = "kernel test prerequisites missing: " + missing;
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
    }

    /** One more tool a test needs (installed by scripts/install-deps.sh); missing, it fails in CI and skips elsewhere. */
    static void require(String tool) {
        if (find(tool) != null) {
            return;
        }
        String why = "kernel test prerequisite missing: " + tool + " (scripts/install-deps.sh installs it)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
    }

    static Path find(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
