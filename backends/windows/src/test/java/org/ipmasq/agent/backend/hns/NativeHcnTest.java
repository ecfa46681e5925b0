package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalInt;
import org.ipmasq.agent.backend.hns.ScriptedComputeNetwork.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of the HCN C API as {@link NativeHcn} keeps them: every returned string freed on
 * every path, failure = negative HRESULT or a non-empty error record, handles closed, and
 * "endpoint not found" told apart from other failures.
 */
class NativeHcnTest {

    static final String ID = "0f6c3a2e-6c1d-4b8e-9d52-3a1f0e7b9c01";

    private final ScriptedComputeNetwork dll = new ScriptedComputeNetwork();
    private final NativeHcn hcn = new NativeHcn(dll, dll::free);

    @AfterEach
    void nothingLeaks() {
        assertEquals(dll.allocated, dll.freed, "every string the DLL returned is freed exactly once");
        assertEquals(dll.opened, dll.closed, "every handle opened is closed");
    }

    @Test
    void listsEndpointIdsWithTheDefaultQuery() throws Exception {
        dll.enumerate = Answer.ok("[\"" + ID + "\",\"7a2b9c4d-3e5f-4a6b-8c7d-9e0f1a2b3c02\"]");

        assertEquals(List.of(ID, "7a2b9c4d-3e5f-4a6b-8c7d-9e0f1a2b3c02"), hcn.listEndpointIds());
        assertEquals(List.of("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}"), dll.queries);
    }

    @Test
    void anEmptyOrNullListIsNoEndpoints() throws Exception {
        dll.enumerate = Answer.ok("null");
        assertEquals(List.of(), hcn.listEndpointIds());
        dll.enumerate = Answer.ok(null);
        assertEquals(List.of(), hcn.listEndpointIds());
    }

    @Test
    void aNegativeHresultFailsAndBothStringsAreFreed() {
        dll.enumerate = new Answer(0x80070005, "[]", "{\"Error\":\"Access is denied.\"}");

        HcnException e = assertThrows(HcnException.class, hcn::listEndpointIds);

        assertEquals("HcnEnumerateEndpoints failed: 0x80070005 (Win32 ERROR_ACCESS_DENIED); error record: "
                + "{\"Error\":\"Access is denied.\"}", e.getMessage());
        assertEquals(OptionalInt.of(0x80070005), e.hresult());
        assertEquals("{\"Error\":\"Access is denied.\"}", e.errorRecord());
        assertEquals(2, dll.freed.size());
    }

    @Test
    void aSuccessHresultWithAnErrorRecordIsStillAFailure() {
        dll.enumerate = new Answer(0, "[]", "{\"Success\":false}");

        HcnException e = assertThrows(HcnException.class, hcn::listEndpointIds);

        assertEquals("HcnEnumerateEndpoints failed: 0x00000000 (S_OK); error record: {\"Success\":false}", e.getMessage());
    }

    @Test
    void queriesOneEndpointThroughAHandleThatIsClosedAfterwards() throws Exception {
        dll.query = Answer.ok("{\"ID\":\"" + ID + "\"}");

        assertEquals("{\"ID\":\"" + ID + "\"}", hcn.queryEndpoint(ID));

        assertEquals(List.of("HcnOpenEndpoint", "HcnQueryEndpointProperties", "HcnCloseEndpoint"), dll.calls);
        assertEquals("{" + ID.toUpperCase() + "}", dll.openedGuid);
    }

    @Test
    void anEndpointThatIsGoneIsItsOwnOutcome() {
        dll.open = new Answer(HResult.HCN_E_ENDPOINT_NOT_FOUND, null, "{\"Error\":\"not found\"}");

        HcnException e = assertThrows(HcnException.class, () -> hcn.queryEndpoint(ID));

        assertInstanceOf(EndpointGoneException.class, e);
        assertEquals(List.of("HcnOpenEndpoint"), dll.calls);
    }

    @Test
    void win32NotFoundIsGoneToo() {
        dll.open = new Answer(HResult.E_WIN32_NOT_FOUND, null, null);

        assertInstanceOf(EndpointGoneException.class, assertThrows(HcnException.class, () -> hcn.queryEndpoint(ID)));
    }

    @Test
    void aFailedOpenThatStillReturnsAHandleClosesIt() {
        dll.open = new Answer(0x80004005, null, null);
        dll.handleEvenOnFailedOpen = true;

        assertThrows(HcnException.class, () -> hcn.queryEndpoint(ID));

        assertEquals(1, dll.closed.size());
    }

    @Test
    void aFailedQueryStillClosesTheHandleAndFreesTheStrings() {
        dll.query = new Answer(HResult.HCN_E_INVALID_JSON, "", "{\"Error\":\"bad query\"}");

        HcnException e = assertThrows(HcnException.class, () -> hcn.queryEndpoint(ID));

        assertEquals("HcnQueryEndpointProperties failed: 0x803B001B (HCN_E_INVALID_JSON); error record: "
                + "{\"Error\":\"bad query\"}", e.getMessage());
        assertEquals(List.of("HcnOpenEndpoint", "HcnQueryEndpointProperties", "HcnCloseEndpoint"), dll.calls);
    }

    @Test
    void modifySendsTheRequestVerbatim() throws Exception {
        String request = "{\"ResourceType\":\"Policy\",\"RequestType\":\"Update\",\"Settings\":{\"Policies\":[]}}";

        hcn.modifyEndpoint(ID, request);

        assertEquals(List.of(request), dll.settings);
        assertEquals(List.of("HcnOpenEndpoint", "HcnModifyEndpoint", "HcnCloseEndpoint"), dll.calls);
    }

    @Test
    void aRefusedModifyCarriesTheHresultAndRecord() {
        dll.modify = new Answer(HResult.HCN_E_REQUEST_UNSUPPORTED, null, "{\"Error\":\"unsupported\"}");

        HcnException e = assertThrows(HcnException.class, () -> hcn.modifyEndpoint(ID, "{}"));

        assertEquals(OptionalInt.of(HResult.HCN_E_REQUEST_UNSUPPORTED), e.hresult());
        assertEquals(1, dll.closed.size());
    }

    @Test
    void aFailingCloseIsNotAFailureOfTheCall() throws Exception {
        dll.close = 0x80004005;
        dll.query = Answer.ok("{}");

        assertEquals("{}", hcn.queryEndpoint(ID));
    }

    @Test
    void anIdThatIsNotAGuidNeverReachesTheDll() {
        HcnException e = assertThrows(HcnException.class, () -> hcn.queryEndpoint("not-a-guid"));

        assertEquals("endpoint ID \"not-a-guid\" is not a GUID", e.getMessage());
        assertEquals(List.of(), dll.calls);
    }

    @Test
    void aListThatIsNotJsonIsReported() {
        dll.enumerate = Answer.ok("{\"oops\":1}");

        HcnException e = assertThrows(HcnException.class, hcn::listEndpointIds);

        assertEquals("HcnEnumerateEndpoints returned {\"oops\":1}, not a JSON array", e.getMessage());
    }
}
