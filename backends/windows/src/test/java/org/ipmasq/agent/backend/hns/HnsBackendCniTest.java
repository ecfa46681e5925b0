package org.ipmasq.agent.backend.hns;

import static org.ipmasq.agent.backend.hns.Policies.DEFAULTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.core.PartialPlanException;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.SyncReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend with --windows-cni-conf: live endpoints and the confs of pods still to come. */
class HnsBackendCniTest {

    static final String SEED_AFTER_DEFAULTS = "[\"10.0.0.0/8\",\"172.16.0.0/12\",\"192.168.0.0/16\",\"169.254.0.0/16\"]";

    @TempDir
    Path dir;
    @TempDir
    Path scratch;

    private Path seed() throws Exception {
        return Files.copy(TestFiles.path("cni/seed/before.conf"), dir.resolve("10-cbr0.conf"));
    }

    @Test
    void syncRewritesTheConfAndCountsIt() throws Exception {
        Path conf = seed();
        FakeHcn hns = new FakeHcn();
        hns.addResource("win-bridge");
        HnsBackend backend = new HnsBackend(hns, "fake", Optional.of(new CniConfRewriter(dir)));

        SyncReport report = backend.sync(DEFAULTS);

        assertEquals(List.of("endpoint_updated", "cni_conf_rewritten"), report.changes().stream().map(Change::kind).toList());
        assertEquals("CNI conf " + conf + ": OutBoundNAT exceptions set to [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, "
                + "169.254.0.0/16]", report.changes().get(1).description());
        assertEquals(1L, report.countsByKey().get("cni_files_checked"));
        assertEquals(1L, report.countsByKey().get("cni_files_rewritten"));
        assertTrue(Files.readString(conf).contains("\"ExceptionList\": [\n          \"10.0.0.0/8\",\n"));

        SyncReport again = backend.sync(DEFAULTS);
        assertEquals(List.of(), again.changes());
        assertEquals(0L, again.countsByKey().get("cni_files_rewritten"));
        assertEquals(1L, again.countsByKey().get("cni_files_checked"));
    }

    @Test
    void theConfIsFixedEvenWhenHnsCannotBeReached() throws Exception {
        Path conf = seed();
        FakeHcn hns = new FakeHcn();
        hns.dllMissing = true;
        HnsBackend backend = new HnsBackend(hns, "fake", Optional.of(new CniConfRewriter(dir)));

        HnsSyncException e = assertThrows(HnsSyncException.class, () -> backend.sync(DEFAULTS));

        assertTrue(e.getMessage().startsWith("cannot list HNS endpoints: computenetwork.dll could not be loaded"));
        assertEquals(1L, e.partial().countsByKey().get("cni_files_rewritten"));
        assertTrue(Files.readString(conf).contains("\"169.254.0.0/16\""));
    }

    @Test
    void aBrokenConfFailsThePassAfterEverythingElseWasDone() throws Exception {
        seed();
        Files.copy(TestFiles.path("cni/malformed/before.conf"), dir.resolve("20-broken.conf"));
        FakeHcn hns = new FakeHcn();
        hns.addResource("win-bridge");
        HnsBackend backend = new HnsBackend(hns, "fake", Optional.of(new CniConfRewriter(dir)));

        HnsSyncException e = assertThrows(HnsSyncException.class, () -> backend.sync(DEFAULTS));

        assertEquals("1 CNI conf file(s) not in line: CNI conf " + dir.resolve("20-broken.conf")
                + ": not valid JSON: Unexpected end-of-input within/between Array entries at line 11, column 1; "
                + "left untouched", e.getMessage());
        assertEquals(1L, e.partial().countsByKey().get("endpoints_changed"));
        assertEquals(1L, e.partial().countsByKey().get("cni_files_rewritten"));
        assertEquals(1L, e.partial().countsByKey().get("cni_files_failed"));
    }

    @Test
    void planPrintsOneLinePerListWithTheFilesDiff() throws Exception {
        Path conf = seed();
        String before = Files.readString(conf);
        HnsBackend backend = new HnsBackend(new FakeHcn(), "fake", Optional.of(new CniConfRewriter(dir)));

        JsonNode line = Json.MAPPER.readTree(backend.plan(DEFAULTS).strip());

        assertEquals(List.of("file", "exceptions", "diff"), fieldNames(line));
        assertEquals(conf.toString(), line.get("file").asText());
        assertEquals(SEED_AFTER_DEFAULTS, Json.compact(line.get("exceptions")));
        assertEquals(before, Files.readString(conf), "a preview writes nothing");
        backend.sync(DEFAULTS);
        String after = Files.readString(conf);
        String diff = line.get("diff").asText();
        assertEquals(DiffTools.gnuDiff(scratch, conf.toString(), before, after), diff);
        assertEquals(after, DiffTools.patch(scratch, before, diff), "the diff turns the file into what a sync writes");
    }

    @Test
    void planPreviewsEveryOtherFileAndGivesAnUnreadableOneItsOwnLine() throws Exception {
        Path conf = seed();
        Path broken = Files.copy(TestFiles.path("cni/malformed/before.conf"), dir.resolve("20-broken.conf"));
        Path overlay = Files.copy(TestFiles.path("cni/win-overlay-v2/before.conf"), dir.resolve("30-overlay.conf"));
        HnsBackend backend = new HnsBackend(new FakeHcn(), "fake", Optional.of(new CniConfRewriter(dir)));

        PartialPlanException e = assertThrows(PartialPlanException.class, () -> backend.plan(DEFAULTS));

        List<JsonNode> lines = new ArrayList<>();
        for (String line : e.plan().lines().toList()) {
            lines.add(Json.MAPPER.readTree(line));
        }
        assertEquals(List.of(conf.toString(), broken.toString(), overlay.toString()),
                lines.stream().map(l -> l.get("file").asText()).toList());
        assertTrue(lines.get(0).has("diff") && lines.get(2).has("diff"), e.plan());
        assertEquals("{\"file\":" + Json.quote(broken.toString()) + ",\"error\":\"not valid JSON: Unexpected end-of-input "
                + "within/between Array entries at line 11, column 1\"}", Json.compact(lines.get(1)));
        assertEquals("cannot preview everything: CNI conf " + broken + ": not valid JSON: Unexpected end-of-input "
                + "within/between Array entries at line 11, column 1", e.getMessage());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
