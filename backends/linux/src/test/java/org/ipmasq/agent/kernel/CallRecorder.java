package org.ipmasq.agent.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder of wrappers, one per iptables and nft binary, to put first on the agent's PATH: each
 * appends its argv to a log, then execs the real binary. What the agent ran is then a list of
 * lines such as "iptables-nft -t nat -S POSTROUTING".
 */
final class CallRecorder {

    private static final List<String> TOOLS = List.of("nft");

    final Path bin;
    private final Path log;

    private CallRecorder(Path bin, Path log) {
        this.bin = bin;
        this.log = log;
    }

    static CallRecorder in(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("recording-bin"));
        Path log = dir.resolve("calls.log");
        Files.writeString(log, "");
        List<String> names = new ArrayList<>(TOOLS);
        for (String family : List.of("iptables", "ip6tables")) {
            for (String flavour : List.of("", "-nft", "-legacy")) {
                for (String tool : List.of("", "-save", "-restore")) {
                    names.add(family + flavour + tool);
                }
            }
        }
        for (String name : names) {
            Path real = KernelPrerequisites.find(name);
            if (real != null) {
                Path script = bin.resolve(name);
                Files.writeString(script, "#!/bin/sh\necho \"" + name + " $*\" >> " + log + "\nexec " + real + " \"$@\"\n");
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return new CallRecorder(bin, log);
    }

    /** The agent's environment: the wrappers first on PATH. */
    List<String> env() {
        return ReconcileIT.pathWith(bin);
    }

    List<String> calls() throws IOException {
        return Files.readAllLines(log);
    }

    /** Calls recorded after the first {@code from} of them. */
    List<String> callsSince(int from) throws IOException {
        List<String> all = calls();
        return all.subList(Math.min(from, all.size()), all.size());
    }
}
