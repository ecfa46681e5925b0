package org.ipmasq.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ipmasq.agent.backend.iptables.FakeIptables;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.SyncOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's first pass before the boot, and the daemon taking its agent over. */
class EarlyPassTest {

    private static final Supplier<KubernetesClient> CREDENTIALS = () -> {
        throw new AssertionError("the client is never asked for here");
    };

    @TempDir
    Path dir;

    @Test
    void runsOnlyWhenEverySourceIsAFile() throws Exception {
        assertTrue(EarlyPass.eligible(ArgsParser.parse("--config-source=file"), CREDENTIALS));
        assertTrue(EarlyPass.eligible(ArgsParser.parse("--config-source=auto"), null), "auto without credentials");
        assertFalse(EarlyPass.eligible(ArgsParser.parse("--config-source=auto"), CREDENTIALS),
                "auto with credentials: the API's copy decides");
        assertFalse(EarlyPass.eligible(ArgsParser.parse("--config-source=api"), null));
        assertFalse(EarlyPass.eligible(ArgsParser.parse("--config-source=file", "--sync-once"), null),
                "one-shot runs do their own pass");
    }

    @Test
    void withAKubeconfigNoPassRunsAndTheDaemonIsToldWhy() throws Exception {
        FakeIptables fake = FakeIptables.nftOnly();
        EarlyPass.runBeforeBoot(ArgsParser.parse("--config-source=api", "--iptables-mode=nft"), CREDENTIALS,
                java.util.Optional.empty(), fake, Clock.systemUTC());
        assertTrue(EarlyPass.claim().isEmpty());
        assertEquals(java.util.Optional.of("the API is reached through a kubeconfig, not from a pod"), EarlyPass.whyNone());
        assertTrue(EarlyPass.whyNone().isEmpty(), "told once");
        assertTrue(fake.restores.isEmpty());
    }

    @Test
    void thePassWritesTheRulesAndTheDaemonCarriesOnWithTheSameAgent() throws Exception {
        FakeIptables fake = FakeIptables.nftOnly();
        EarlyPass early = EarlyPass.run(options("nonMasqueradeCIDRs: [10.0.0.0/8]\n"), fake, Clock.systemUTC());

        assertEquals(1, fake.restores.size(), "the rules are written before anything else starts");
        assertTrue(fake.table("iptables-nft").get("POSTROUTING").stream().anyMatch(r -> r.contains("IP-MASQ-AGENT")));

        List<SyncOutcome> heard = new CopyOnWriteArrayList<>();
        EarlyPass.Handover handover = early.takeOver(heard::add);
        try (AgentAssembly agent = handover.agent()) {
            assertTrue(handover.outcome().clean() && !handover.outcome().report().changes().isEmpty(),
                    handover.outcome().toString());
            assertEquals(1, agent.status().get().successes(), "health counts the pass that ran before the boot");

            agent.trigger(); // the daemon's timer, later
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (heard.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, heard.size(), "the daemon hears the loop's passes");
            assertTrue(heard.get(0).report().changes().isEmpty(), "nothing changed since the first pass: " + heard.get(0));
            assertEquals(1, fake.restores.size());
            assertEquals(2, agent.status().get().successes());
        }
    }

    @Test
    void aRejectedConfigIsHandedOverForTheDaemonToRetryAndReport() throws Exception {
        FakeIptables fake = FakeIptables.nftOnly();
        EarlyPass early = EarlyPass.run(options("nonMasqueradeCIDRs: [10.0.0.1/8]\n"), fake, Clock.systemUTC());
        EarlyPass.Handover handover = early.takeOver(outcome -> { });
        try (AgentAssembly agent = handover.agent()) {
            assertFalse(handover.outcome().clean());
            assertTrue(handover.outcome().configError().isPresent(), handover.outcome().toString());
            assertTrue(fake.restores.isEmpty(), "nothing written from a rejected config");
            assertFalse(agent.status().get().ready());
        }
    }

    @Test
    void aBackendThatCannotStartIsReportedByTheDaemon() throws Exception {
        EarlyPass early = EarlyPass.run(options("nonMasqueradeCIDRs: [10.0.0.0/8]\n", "--iptables-mode=legacy"),
                FakeIptables.nftOnly(), Clock.systemUTC());
        BackendException e = assertThrows(BackendException.class, () -> early.takeOver(outcome -> { }));
        assertTrue(e.getMessage().contains("--iptables-mode=legacy"), e.getMessage());
    }

    @Test
    void theDaemonClaimsAPassOnlyOnce() throws Exception {
        EarlyPass.runBeforeBoot(options("nonMasqueradeCIDRs: [10.0.0.0/8]\n"), FakeIptables.nftOnly(),
                Clock.systemUTC());
        EarlyPass claimed = EarlyPass.claim().orElseThrow();
        assertTrue(EarlyPass.claim().isEmpty());
        claimed.takeOver(outcome -> { }).agent().close();
    }

    private AgentOptions options(String config, String... more) throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, config);
        List<String> args = new java.util.ArrayList<>(List.of("--config-source=file", "--config", file.toString()));
        if (more.length == 0) {
            args.add("--iptables-mode=nft");
        }
        args.addAll(List.of(more));
        return ArgsParser.parse(args.toArray(String[]::new));
    }
}
