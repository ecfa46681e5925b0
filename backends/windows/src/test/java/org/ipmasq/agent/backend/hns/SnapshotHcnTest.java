package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotHcnTest {

    @TempDir
    Path dir;

    private SnapshotHcn snapshot(String json) throws Exception {
        return new SnapshotHcn(Files.writeString(dir.resolve("snapshot.json"), json));
    }

    @Test
    void listsAndQueriesTheEndpointsOfTheFile() throws Exception {
        SnapshotHcn hcn = snapshot("[" + TestFiles.read("hns/win-bridge.json") + ",{\"id\":\"x-1\",\"Policies\":[]}]");

        assertEquals(List.of(HnsBackendTest.BRIDGE, "x-1"), hcn.listEndpointIds());
        assertEquals(Json.MAPPER.readTree(TestFiles.read("hns/win-bridge.json")),
                Json.MAPPER.readTree(hcn.queryEndpoint(HnsBackendTest.BRIDGE)));
        assertInstanceOf(EndpointGoneException.class, assertThrows(HcnException.class, () -> hcn.queryEndpoint("nope")));
    }

    @Test
    void isReadOnly() throws Exception {
        SnapshotHcn hcn = snapshot("[]");

        HcnException e = assertThrows(HcnException.class, () -> hcn.modifyEndpoint("x", "{}"));

        assertTrue(e.getMessage().endsWith("is read-only; it serves --dry-run only"), e.getMessage());
    }

    @Test
    void badFilesSayWhatIsWrong() throws Exception {
        Path file = dir.resolve("snapshot.json");
        assertTrue(assertThrows(HcnException.class, () -> new SnapshotHcn(file).listEndpointIds()).getMessage()
                .startsWith("cannot read the HNS snapshot " + file));
        assertEquals("the HNS snapshot " + file + " is not a JSON array of endpoints",
                assertThrows(HcnException.class, () -> snapshot("{}").listEndpointIds()).getMessage());
        assertEquals("the HNS snapshot " + file + " holds an entry without an \"ID\" string: {\"Name\":\"a\"}",
                assertThrows(HcnException.class, () -> snapshot("[{\"Name\":\"a\"}]").listEndpointIds()).getMessage());
        assertEquals("the HNS snapshot " + file + " lists endpoint a twice",
                assertThrows(HcnException.class, () -> snapshot("[{\"ID\":\"a\"},{\"ID\":\"a\"}]").listEndpointIds())
                        .getMessage());
    }
}
