package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real Windows CNI confs from public repositories (src/test/resources/cni-corpus, sources in its
 * README), each rewritten for an IPv4-only and a dual-stack config: the result is the golden
 * file, it parses, only OutBoundNAT exception lists of a managed family changed and every other
 * byte is kept, and the dry run's diff is what GNU diff prints and patches the original into it.
 * Run with -DregenerateGolden=true to rewrite the golden files after a deliberate change (then
 * read their diffs before committing them).
 */
class CniConfCorpusTest {

    static final Path CORPUS = TestFiles.path("cni-corpus");
    static final List<String> CIDRS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
    static final Map<String, MasqPolicy> CONFIGS = Map.of(
            "ipv4", Policies.ipv4(CIDRS, List.of()),
            "dual", Policies.dualStack(CIDRS, List.of("fd00::/8")));
    /** The OutBoundNAT families each file holds, in text order: a fact about the files, checked here. */
    static final Map<String, List<IpFamily>> FAMILIES = Map.ofEntries(
            Map.entry("wcn-sdnbridge-dualstack-host-local", List.of(IpFamily.IPV4, IpFamily.IPV6)),
            Map.entry("wcn-sdnbridge-dualstack-azure", List.of(IpFamily.IPV4)),
            Map.entry("cni-plugins-win-bridge-flannel-v2", List.of(IpFamily.IPV4)),
            Map.entry("cni-plugins-win-overlay-v1", List.of(IpFamily.IPV4)),
            Map.entry("cni-plugins-win-overlay-v2", List.of(IpFamily.IPV4)),
            Map.entry("sdn-flannel-overlay", List.of(IpFamily.IPV4)),
            Map.entry("sdn-flannel-l2bridge", List.of(IpFamily.IPV4)),
            Map.entry("azure-windows-dualstack-overlay", List.of(IpFamily.IPV4)),
            Map.entry("sig-windows-tools-flannel-sdnoverlay", List.of(IpFamily.IPV4)),
            Map.entry("wmco-hybrid-overlay", List.of(IpFamily.IPV4)),
            Map.entry("rke2-calico", List.of(IpFamily.IPV4)));
    static final String INVALID = "azure-windows-invalid";

    @TempDir
    Path dir;
    @TempDir
    Path scratch;

    static Stream<Arguments> cases() {
        return FAMILIES.keySet().stream().sorted()
                .flatMap(name -> Stream.of(Arguments.of(name, "ipv4"), Arguments.of(name, "dual")));
    }

    @Test
    void everyFileOfTheCorpusIsTested() throws IOException {
        try (Stream<Path> entries = Files.list(CORPUS)) {
            List<String> names = entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            List<String> tested = new ArrayList<>(FAMILIES.keySet());
            tested.add(INVALID);
            assertEquals(tested.stream().sorted().toList(), names);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void onlyTheOutboundNatListsOfAManagedFamilyChangeAndEveryOtherByteIsKept(String name, String config)
            throws Exception {
        Path original = before(name);
        String text = Files.readString(original);
        WantedExceptions wanted = WantedExceptions.of(CONFIGS.get(config));
        Path conf = Files.copy(original, dir.resolve("10-" + original.getFileName()));

        CniConfRewriter.FileOutcome outcome = new CniConfRewriter(conf).run(wanted, true).get(0);

        String after = Files.readString(conf);
        assertEquals(golden(name, config, original, after), after);
        List<CniConf.NatList> was = inTextOrder(CniConf.parse(text));
        List<CniConf.NatList> now = inTextOrder(CniConf.parse(after)); // the result parses as the plugin reads it
        assertEquals(FAMILIES.get(name), was.stream().map(CniConf.NatList::family).toList());
        assertEquals(FAMILIES.get(name), now.stream().map(CniConf.NatList::family).toList());
        int from = 0;
        int to = 0;
        for (int i = 0; i < was.size(); i++) {
            CniConf.NatList before = was.get(i);
            CniConf.NatList rewritten = now.get(i);
            assertEquals(CniConf.Form.LIST, before.form(), "every conf of the corpus has its lists");
            assertEquals(text.substring(from, before.at().start()), after.substring(to, rewritten.at().start()),
                    "bytes outside the exception lists are kept");
            Optional<List<String>> target = wanted.forFamily(before.family());
            if (target.isPresent()) {
                assertTrue(ExceptionLists.same(target.get(), rewritten.current()), rewritten.current().toString());
            } else {
                assertEquals(text.substring(before.at().start(), before.at().end()),
                        after.substring(rewritten.at().start(), rewritten.at().end()), "a family not managed is left as is");
            }
            from = before.at().end();
            to = rewritten.at().end();
        }
        assertEquals(text.substring(from), after.substring(to), "bytes outside the exception lists are kept");
        if (text.equals(after)) {
            assertEquals(new CniConfRewriter.Unchanged(conf), outcome);
        } else {
            assertInstanceOf(CniConfRewriter.Rewritten.class, outcome);
        }
        assertEquals(List.of(new CniConfRewriter.Unchanged(conf)), new CniConfRewriter(conf).run(wanted, true));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theDryRunsDiffIsGnuDiffsAndPatchesTheOriginalIntoTheRewrite(String name, String config) throws Exception {
        Path original = before(name);
        String text = Files.readString(original);
        WantedExceptions wanted = WantedExceptions.of(CONFIGS.get(config));
        Path conf = Files.copy(original, dir.resolve("10-" + original.getFileName()));
        String after = Files.readString(goldenPath(name, config, original));

        CniConfRewriter.FileOutcome outcome = new CniConfRewriter(conf).run(wanted, false).get(0);

        assertEquals(text, Files.readString(conf), "a preview writes nothing");
        if (text.equals(after)) {
            assertEquals(new CniConfRewriter.Unchanged(conf), outcome);
            return;
        }
        String diff = assertInstanceOf(CniConfRewriter.Rewritten.class, outcome).diff();
        assertEquals(DiffTools.gnuDiff(scratch, conf.toString(), text, after), diff);
        assertEquals(after, DiffTools.patch(scratch, text, diff));
    }

    /** Azure's Windows conflist as published lacks a comma between two policies: Go refuses it, and so do we. */
    @Test
    void aPublishedConfThatGoRefusesIsReportedAndLeftAlone() throws Exception {
        Path conf = Files.copy(before(INVALID), dir.resolve("10-azure.conflist"));
        byte[] bytes = Files.readAllBytes(conf);

        CniConfRewriter.FileOutcome outcome = new CniConfRewriter(conf).run(WantedExceptions.of(CONFIGS.get("ipv4")), true)
                .get(0);

        assertEquals(new CniConfRewriter.Failed(conf, "not valid JSON: Unexpected character ('{' (code 123)): was "
                + "expecting comma to separate Array entries at line 55, column 17"), outcome);
        assertEquals(new String(bytes), Files.readString(conf));
    }

    private static List<CniConf.NatList> inTextOrder(CniConf conf) {
        return conf.lists().stream().sorted(Comparator.comparingInt(l -> l.at().start())).toList();
    }

    private static Path before(String name) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve(name))) {
            return files.filter(f -> f.getFileName().toString().startsWith("before.")).findFirst().orElseThrow();
        }
    }

    private static Path goldenPath(String name, String config, Path before) {
        String extension = before.getFileName().toString().substring("before".length());
        return CORPUS.resolve(name).resolve("after-" + config + extension);
    }

    private static String golden(String name, String config, Path before, String actual) throws IOException {
        Path golden = goldenPath(name, config, before);
        if (Boolean.getBoolean("regenerateGolden")) {
            Files.writeString(golden, actual);
        }
        return Files.readString(golden);
    }
}
