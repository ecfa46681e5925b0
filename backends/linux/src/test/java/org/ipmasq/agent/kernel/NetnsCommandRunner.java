package org.ipmasq.agent.kernel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * Runs the agent's commands inside a test namespace, so an agent assembled in the test JVM (with a
 * mock API server beside it) drives the real iptables of that namespace and never the host's.
 */
public final class NetnsCommandRunner implements CommandRunner {

    private final String namespace;
    private final CommandRunner host;

    public NetnsCommandRunner(String namespace, CommandRunner host) {
        this.namespace = namespace;
        this.host = host;
    }

    @Override
    public CommandResult run(List<String> argv, String stdin) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(argv);
        CommandResult result = host.run(command, stdin);
        return new CommandResult(argv, result.exitCode(), result.stdout(), result.stderr());
    }

    @Override
    public boolean exists(String program) {
        return host.exists(program);
    }
}
