package org.ipmasq.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandResultTest {

    private static final String RESTORE_INPUT = "*nat\n:IP-MASQ-AGENT - [0:0]\n-A IP-MASQ-AGENT -d 10.0.0.0/8 -j RETURN\n"
            + "COMMIT\n";

    private static CommandResult failed(String command, String stderr) {
        return new CommandResult(List.of(command, "--noflush"), 1, "", stderr);
    }

    @Test
    void legacyIptablesRestoresLineNumberIsFollowedByThatLine() {
        assertEquals("iptables-restore --noflush exited 1: iptables-restore: line 3 failed; "
                + "line 3: -A IP-MASQ-AGENT -d 10.0.0.0/8 -j RETURN",
                failed("iptables-restore", "iptables-restore: line 3 failed\n").summary(RESTORE_INPUT));
    }

    @Test
    void nftFlavouredIptablesRestoreToo() {
        assertEquals("iptables-nft-restore --noflush exited 1: iptables-nft-restore v1.8.9 (nf_tables): line 2: "
                + "CHAIN_ADD failed (File exists): chain IP-MASQ-AGENT; line 2: :IP-MASQ-AGENT - [0:0]",
                failed("iptables-nft-restore", "iptables-nft-restore v1.8.9 (nf_tables): line 2: CHAIN_ADD failed "
                        + "(File exists): chain IP-MASQ-AGENT\n").summary(RESTORE_INPUT));
    }

    @Test
    void nftNamesTheLineAsFileLineColumns() {
        String input = "flush set ip t s\nadd rule ip t c ip daddr @nope return\n";
        assertEquals("nft -f - exited 1: /dev/stdin:2:1-37: Error: Could not process rule: No such file or directory; "
                + "line 2: add rule ip t c ip daddr @nope return",
                new CommandResult(List.of("nft", "-f", "-"), 1, "", "/dev/stdin:2:1-37: Error: Could not process rule: "
                        + "No such file or directory\nadd rule ip t c ip daddr @nope return\n^^^^^^^^^\n").summary(input));
    }

    @Test
    void aComplaintWithoutALineNumberOrOutsideTheInputAddsNothing() {
        CommandResult locked = failed("iptables-restore", "Another app is currently holding the xtables lock.");
        assertEquals(locked.summary(), locked.summary(RESTORE_INPUT));
        CommandResult beyond = failed("iptables-restore", "iptables-restore: line 9 failed");
        assertEquals(beyond.summary(), beyond.summary(RESTORE_INPUT));
    }

    @Test
    void aVeryLongLineIsCut() {
        String longLine = "add element ip t s { " + "10.0.0.0/8, ".repeat(100) + "}";
        String summary = new CommandResult(List.of("nft", "-f", "-"), 1, "", "/dev/stdin:1:1-9: Error: x").summary(longLine);
        assertEquals(summary.indexOf("; line 1: ") + "; line 1: ".length() + FailingInputLines.MOST_CHARS + 3,
                summary.length(), summary);
    }
}
