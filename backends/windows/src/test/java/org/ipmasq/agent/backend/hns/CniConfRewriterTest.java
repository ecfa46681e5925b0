package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.ipmasq.agent.core.MasqPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CNI conf files before and after, as golden files under src/test/resources/cni/: every form of
 * windows-hns.md, the seed's own example, a Windows-edited file (BOM, CRLF, tabs), minified JSON,
 * OutBoundNATs without a list, dual-stack. Only the list's characters may change.
 */
class CniConfRewriterTest {

    static final MasqPolicy CONFIG = Policies.ipv4(List.of("10.0.0.0/8", "192.168.0.0/16"), List.of());
    static final MasqPolicy DUAL = Policies.dualStack(List.of("10.0.0.0/8", "192.168.0.0/16"), List.of("fd00::/8"));
    static final WantedExceptions WANTED = WantedExceptions.of(CONFIG);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"seed", "win-overlay-v2", "flannel-delegate", "flannel-conflist", "azure-conflist",
        "crlf-bom", "minified", "missing-exception-list", "settings-without-exceptions", "dual-stack-v2"})
    void rewritesToTheGoldenFileAndThenLeavesItAlone(String name) throws IOException {
        Path conf = copy(name, "10-" + name);
        WantedExceptions wanted = WantedExceptions.of(name.startsWith("dual") ? DUAL : CONFIG);
        CniConfRewriter rewriter = new CniConfRewriter(conf);

        List<CniConfRewriter.FileOutcome> first = rewriter.run(wanted, true);

        assertInstanceOf(CniConfRewriter.Rewritten.class, first.get(0), first.toString());
        assertArrayEquals(Files.readAllBytes(golden(name, "after")), Files.readAllBytes(conf),
                () -> "got:\n" + read(conf));
        Object written = fileKey(conf);
        assertEquals(List.of(new CniConfRewriter.Unchanged(conf)), rewriter.run(wanted, true));
        assertEquals(written, fileKey(conf), "a file already right is not written again");
        assertEquals(List.of(conf), listing(), "no temporary file left behind");
    }

    @Test
    void theSeedsListIsReplacedAndReportedAsOneList() throws IOException {
        Path conf = copy("seed", "cni.conf");

        List<CniConfRewriter.FileOutcome> outcomes = new CniConfRewriter(conf).run(WANTED, true);

        assertEquals(1, outcomes.size());
        assertEquals(List.of(List.of("10.0.0.0/8", "192.168.0.0/16", "169.254.0.0/16")),
                assertInstanceOf(CniConfRewriter.Rewritten.class, outcomes.get(0)).lists());
    }

    @Test
    void dualStackReportsOneListPerFamily() throws IOException {
        Path conf = copy("dual-stack-v2", "cni.conf");

        List<CniConfRewriter.FileOutcome> outcomes = new CniConfRewriter(conf).run(WantedExceptions.of(DUAL), false);

        assertEquals(1, outcomes.size());
        assertEquals(List.of(List.of("10.0.0.0/8", "192.168.0.0/16", "169.254.0.0/16"), List.of("fd00::/8", "fe80::/10")),
                assertInstanceOf(CniConfRewriter.Rewritten.class, outcomes.get(0)).lists());
    }

    @Test
    void aFileAlreadyRightIsNotTouchedAtAll() throws IOException {
        Path conf = copy("already-right", "cni.conf");
        byte[] before = Files.readAllBytes(conf);
        Object key = fileKey(conf);
        var modified = Files.getLastModifiedTime(conf);

        assertEquals(List.of(new CniConfRewriter.Unchanged(conf)), new CniConfRewriter(conf).run(WANTED, true));

        assertArrayEquals(before, Files.readAllBytes(conf));
        assertEquals(key, fileKey(conf));
        assertEquals(modified, Files.getLastModifiedTime(conf));
    }

    @Test
    void aMalformedFileIsReportedAndLeftExactlyAsItIs() throws IOException {
        Path conf = copy("malformed", "cni.conf");
        byte[] before = Files.readAllBytes(conf);

        List<CniConfRewriter.FileOutcome> outcomes = new CniConfRewriter(conf).run(WANTED, true);

        CniConfRewriter.Failed failed = assertInstanceOf(CniConfRewriter.Failed.class, outcomes.get(0));
        assertTrue(failed.reason().startsWith("not valid JSON: Unexpected end-of-input"), failed.reason());
        assertTrue(failed.reason().endsWith("at line 11, column 1"), failed.reason());
        assertArrayEquals(before, Files.readAllBytes(conf));
        assertEquals(List.of(conf), listing());
    }

    @Test
    void aConfWithoutOutboundNatIsFineAndUntouched() throws IOException {
        Path conf = copy("no-outbound-nat", "10-bridge.conflist");
        byte[] before = Files.readAllBytes(conf);

        assertEquals(List.of(new CniConfRewriter.Unchanged(conf)), new CniConfRewriter(conf).run(WANTED, true));
        assertArrayEquals(before, Files.readAllBytes(conf));
    }

    @Test
    void aDryRunWritesNothing() throws IOException {
        Path conf = copy("seed", "cni.conf");
        byte[] before = Files.readAllBytes(conf);

        assertInstanceOf(CniConfRewriter.Rewritten.class, new CniConfRewriter(conf).run(WANTED, false).get(0));
        assertArrayEquals(before, Files.readAllBytes(conf));
    }

    @Test
    void aFolderMeansItsConfConflistAndJsonFilesInNameOrder() throws IOException {
        Path b = copy("win-overlay-v2", "20-overlay.conf");
        Path a = copy("azure-conflist", "10-azure.conflist");
        Path c = copy("malformed", "30-broken.json");
        Path skippedBackup = copy("seed", "10-seed.conf.bak");
        Files.createDirectory(dir.resolve("sub.conf"));
        Files.writeString(dir.resolve("README.md"), "not a conf");
        byte[] backup = Files.readAllBytes(skippedBackup);

        List<CniConfRewriter.FileOutcome> outcomes = new CniConfRewriter(dir).run(WANTED, true);

        assertEquals(List.of(a, b, c), outcomes.stream().map(CniConfRewriter.FileOutcome::file).toList());
        assertInstanceOf(CniConfRewriter.Rewritten.class, outcomes.get(0));
        assertInstanceOf(CniConfRewriter.Rewritten.class, outcomes.get(1));
        assertInstanceOf(CniConfRewriter.Failed.class, outcomes.get(2), "one bad file does not stop the others");
        assertArrayEquals(backup, Files.readAllBytes(skippedBackup));
    }

    @Test
    void aMissingPathIsAFailure() {
        Path missing = dir.resolve("net.d");

        List<CniConfRewriter.FileOutcome> outcomes = new CniConfRewriter(missing).run(WANTED, true);

        assertEquals(List.of(new CniConfRewriter.Failed(missing, "cannot read " + missing + ": NoSuchFileException: "
                + missing + ": no such file or folder")), outcomes);
    }

    @Test
    void aFileThatIsNotUtf8IsLeftAlone() throws IOException {
        Path conf = dir.resolve("cni.conf");
        byte[] latin1 = "{\"name\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(conf, latin1);

        CniConfRewriter.Failed failed = assertInstanceOf(CniConfRewriter.Failed.class,
                new CniConfRewriter(conf).run(WANTED, true).get(0));

        assertEquals("not UTF-8 text (the CNI plugins read UTF-8 JSON)", failed.reason());
        assertArrayEquals(latin1, Files.readAllBytes(conf));
    }

    @Test
    void permissionsOfTheReplacedFileAreKept() throws IOException {
        Path conf = copy("seed", "cni.conf");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));

        new CniConfRewriter(conf).run(WANTED, true);

        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
    }

    @Test
    void aSymbolicLinkStaysALinkAndItsTargetIsRewritten() throws IOException {
        Path target = copy("seed", "real.conf");
        Path link = Files.createSymbolicLink(dir.resolve("10-link.conf"), target.getFileName());

        new CniConfRewriter(link).run(WANTED, true);

        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(Files.readAllBytes(golden("seed", "after")), Files.readAllBytes(target));
    }

    private Path copy(String name, String as) throws IOException {
        return Files.copy(golden(name, "before"), dir.resolve(as));
    }

    private static Path golden(String name, String which) throws IOException {
        try (Stream<Path> files = Files.list(TestFiles.path("cni/" + name))) {
            return files.filter(f -> f.getFileName().toString().startsWith(which + ".")).findFirst().orElseThrow();
        }
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
