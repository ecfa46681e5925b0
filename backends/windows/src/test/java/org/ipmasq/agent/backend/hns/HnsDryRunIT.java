package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's preview, end to end through the packaged agent: {@code java -jar
 * quarkus-run.jar --backend=hns --dry-run --hns-snapshot FILE ...} prints exactly the modify
 * requests and CNI conf lists a Windows node would get, writes nothing, and (checked through the
 * JVM's own class-load log) never loads JNA or the computenetwork.dll binding. Needs no root
 * and no Windows.
 */
class HnsDryRunIT {

    static final String WANTED = "[\"10.0.0.0/8\",\"192.168.0.0/16\",\"169.254.0.0/16\"]";

    record Run(int exit, String out, String err, String classLog) {
    }

    @TempDir
    Path dir;
    @TempDir
    Path scratch;
    Path snapshot;
    Path config;
    Path cni;

    @BeforeEach
    void files() throws IOException {
        List<String> endpoints = new ArrayList<>();
        for (String name : List.of("win-bridge", "win-overlay", "flannel-host-gw", "azure-cni", "remote", "remote-v1",
                "no-outbound-nat", "dual-stack")) {
            endpoints.add(TestFiles.read("hns/" + name + ".json"));
        }
        snapshot = Files.writeString(dir.resolve("snapshot.json"), "[" + String.join(",\n", endpoints) + "]");
        config = Files.writeString(dir.resolve("config"), "nonMasqueradeCIDRs:\n  - 10.0.0.0/8\n  - 192.168.0.0/16\n");
        cni = Files.createDirectory(dir.resolve("net.d"));
        Files.copy(TestFiles.path("cni/seed/before.conf"), cni.resolve("10-cbr0.conf"));
        Files.copy(TestFiles.path("cni/already-right/before.conf"), cni.resolve("20-right.conf"));
        Files.copy(TestFiles.path("cni/no-outbound-nat/before.conflist"), cni.resolve("30-bridge.conflist"));
    }

    @Test
    void printsOneJsonLinePerRequestAndConfAndWritesNothing() throws Exception {
        byte[] seedBefore = Files.readAllBytes(cni.resolve("10-cbr0.conf"));

        Run run = agent("--backend=hns", "--dry-run", "--hns-snapshot", snapshot.toString(), "--config",
                config.toString(), "--windows-cni-conf", cni.toString());

        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of(
                line(HnsBackendTest.BRIDGE, "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":" + WANTED + "}}"),
                line(HnsBackendTest.OVERLAY, "{\"type\":\"OutBoundNAT\",\"settings\":{\"VirtualIP\":\"\",\"exceptions\":"
                        + WANTED + ",\"Destinations\":[],\"Flags\":0,\"MaxPortPoolUsage\":0,\"FutureSetting\":{\"kept\":true}}}"),
                line(HnsBackendTest.FLANNEL, "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":" + WANTED + "}}"),
                line(HnsBackendTest.AZURE, "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":" + WANTED + ",\"Flags\":0}}"),
                line(HnsBackendTest.DUAL, "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":" + WANTED + ",\"Flags\":0}}"),
                "{\"file\":" + Json.quote(cni.resolve("10-cbr0.conf").toString()) + ",\"exceptions\":" + WANTED + ",\"diff\":"
                        + Json.quote(UnifiedDiff.of(cni.resolve("10-cbr0.conf").toString(),
                                new String(seedBefore, StandardCharsets.UTF_8), TestFiles.read("cni/seed/after.conf")))
                        + "}"),
                run.out().lines().toList());
        assertArrayEquals(seedBefore, Files.readAllBytes(cni.resolve("10-cbr0.conf")), "a dry run writes nothing");
        assertNoNativeCode(run.classLog());
    }

    @Test
    void withIpv6TheIpv6OutboundNatGetsTheIpv6List() throws Exception {
        Files.writeString(config, "nonMasqueradeCIDRs: [10.0.0.0/8, 192.168.0.0/16, fd00::/8]\n");

        Run run = agent("--backend=hns", "--dry-run", "--enable-ipv6", "--hns-snapshot", snapshot.toString(),
                "--config", config.toString());

        assertEquals(0, run.exit(), run.err());
        assertEquals(line(HnsBackendTest.DUAL,
                "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":" + WANTED + ",\"Flags\":0}}",
                "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"fd00::/8\",\"fe80::/10\"],\"Flags\":2}}"),
                run.out().lines().toList().get(4));
    }

    @Test
    void nothingIsPrintedWhenEverythingIsAlreadyRight() throws Exception {
        Path right = Files.writeString(dir.resolve("right.json"), "[" + TestFiles.read("hns/flannel-host-gw.json") + "]");
        Files.writeString(config, "nonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\n");

        Run run = agent("--backend=hns", "--dry-run", "--hns-snapshot", right.toString(), "--config", config.toString());

        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aSnapshotWithoutDryRunIsRefused() throws Exception {
        Run run = agent("--backend=hns", "--sync-once", "--hns-snapshot", snapshot.toString(), "--config",
                config.toString());

        assertEquals(1, run.exit());
        assertEquals("ip-masq-agent: --hns-snapshot previews only: add --dry-run (a snapshot file is not an HNS that "
                + "could be changed)", run.err().strip());
    }

    @Test
    void theRealBackendRefusesToRunOffWindowsAndNeverTouchesJna() throws Exception {
        Run run = agent("--backend=hns", "--sync-once", "--config", config.toString());

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("runs only on Windows, not on " + System.getProperty("os.name")), run.err());
        assertNoNativeCode(run.classLog());
    }

    /**
     * The scenario: a folder with the published Azure conflist that lacks a comma, next to
     * good confs (one of them the sdnbridge dual-stack example): every good file is previewed
     * with its diff, the bad one gets an error line, the run exits 1, and nothing is written.
     * Each diff, applied with patch, gives exactly what a sync writes.
     */
    @Test
    void aFolderWithOneUnreadableFileIsPreviewedWholeAndExitsOne() throws Exception {
        Files.copy(TestFiles.path("cni-corpus/azure-windows-invalid/before.conflist"), cni.resolve("15-azure.conflist"));
        Files.copy(TestFiles.path("cni-corpus/wcn-sdnbridge-dualstack-host-local/before.conf"), cni.resolve("40-dual.conf"));
        Files.writeString(config, "nonMasqueradeCIDRs: [10.0.0.0/8, \"fd00::/8\"]\n");
        Map<Path, byte[]> before = new TreeMap<>();
        try (Stream<Path> files = Files.list(cni)) {
            for (Path file : files.toList()) {
                before.put(file, Files.readAllBytes(file));
            }
        }

        Run run = agent("--backend=hns", "--dry-run", "--enable-ipv6", "--hns-snapshot", snapshot.toString(), "--config",
                config.toString(), "--windows-cni-conf", cni.toString());

        assertEquals(1, run.exit(), run.err());
        Path azure = cni.resolve("15-azure.conflist");
        String reason = "not valid JSON: Unexpected character ('{' (code 123)): was expecting comma to separate Array "
                + "entries at line 55, column 17";
        assertEquals("ip-masq-agent: cannot preview everything: CNI conf " + azure + ": " + reason, run.err().strip());
        List<JsonNode> fileLines = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            JsonNode parsed = Json.MAPPER.readTree(line);
            if (parsed.has("file")) {
                fileLines.add(parsed);
            }
        }
        assertEquals(List.of(cni.resolve("10-cbr0.conf").toString(), azure.toString(), cni.resolve("20-right.conf").toString(),
                cni.resolve("40-dual.conf").toString(), cni.resolve("40-dual.conf").toString()),
                fileLines.stream().map(l -> l.get("file").asText()).toList());
        assertEquals("{\"file\":" + Json.quote(azure.toString()) + ",\"error\":" + Json.quote(reason) + "}",
                Json.compact(fileLines.get(1)));
        assertEquals("[\"fd00::/8\",\"fe80::/10\"]", Json.compact(fileLines.get(4).get("exceptions")),
                "the IPv6 OutBoundNAT of the dual-stack conf gets the IPv6 list");
        for (JsonNode line : List.of(fileLines.get(0), fileLines.get(2), fileLines.get(3), fileLines.get(4))) {
            Path file = Path.of(line.get("file").asText());
            String original = new String(before.get(file), StandardCharsets.UTF_8);
            String rewritten = rewrittenCopy(file);
            assertEquals(rewritten, DiffTools.patch(scratch, original, line.get("diff").asText()), file.toString());
            assertEquals(DiffTools.gnuDiff(scratch, file.toString(), original, rewritten), line.get("diff").asText());
        }
        for (Map.Entry<Path, byte[]> file : before.entrySet()) {
            assertArrayEquals(file.getValue(), Files.readAllBytes(file.getKey()), "a dry run writes nothing");
        }
    }

    /** What a sync would write to {@code file}, from the same code in this JVM, on a copy. */
    private String rewrittenCopy(Path file) throws IOException {
        Path copy = Files.copy(file, scratch.resolve("copy-" + file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        new CniConfRewriter(copy).run(WantedExceptions.of(Policies.dualStack(List.of("10.0.0.0/8"), List.of("fd00::/8"))),
                true);
        return Files.readString(copy);
    }

    private static String line(String endpoint, String... policies) {
        return "{\"endpoint\":\"" + endpoint + "\",\"request\":" + HnsBackendTest.update(policies) + "}";
    }

    private static void assertNoNativeCode(String classLog) {
        assertTrue(classLog.contains(" org.ipmasq.agent.backend.hns.HnsBackendProvider "),
                "control: the class-load log lists the agent's classes");
        assertFalse(classLog.contains(" com.sun.jna."), "JNA was loaded");
        assertFalse(classLog.contains(" " + ComputeNetworkLibrary.class.getName() + " "), "the binding was loaded");
        assertFalse(classLog.contains(" " + NativeHcn.class.getName() + " "), "the binding was loaded");
    }

    private Run agent(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("agent.jar", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.isRegularFile(jar), "the packaged agent is missing at " + jar + " (run mvn verify)");
        Path classLog = dir.resolve("classes.log");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + classLog, "-jar", jar.toString()));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the agent did not finish within 60s: " + argv);
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), Files.readString(classLog, StandardCharsets.UTF_8));
    }
}
