package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HResultTest {

    @ParameterizedTest
    @CsvSource({
        "0x803B0002, 0x803B0002 (HCN_E_ENDPOINT_NOT_FOUND)",
        "0x803B0008, 0x803B0008 (HCN_E_POLICY_NOT_FOUND)",
        "0x803B000D, 0x803B000D (HCN_E_INVALID_POLICY)",
        "0x803B0012, 0x803B0012 (HCN_E_POLICY_ALREADY_EXISTS)",
        "0x803B0015, 0x803B0015 (HCN_E_REQUEST_UNSUPPORTED)",
        "0x803B001B, 0x803B001B (HCN_E_INVALID_JSON)",
        "0x803B0037, 0x803B0037 (HCN_E_VFP_NOT_ALLOWED)",
        "0x803B0099, '0x803B0099 (HCN facility, code 0x0099)'",
        "0x80070490, 0x80070490 (Win32 ERROR_NOT_FOUND)",
        "0x80070005, 0x80070005 (Win32 ERROR_ACCESS_DENIED)",
        "0x80070057, 0x80070057 (Win32 ERROR_INVALID_PARAMETER)",
        "0x800706BA, 0x800706BA (Win32 RPC_S_SERVER_UNAVAILABLE)",
        "0x80071234, 0x80071234 (Win32 error 4660)",
        "0x80004005, 0x80004005 (E_FAIL)",
        "0x8000FFFF, 0x8000FFFF (E_UNEXPECTED)",
        "0x80040154, '0x80040154 (facility 0x4, code 0x0154)'",
        "0x00000000, 0x00000000 (S_OK)",
    })
    void describesCodesByName(String hex, String expected) {
        assertEquals(expected, HResult.describe(Integer.parseUnsignedInt(hex.substring(2), 16)));
    }

    @Test
    void onlyTheEndpointNotFoundCodesMeanGone() {
        assertTrue(HResult.isEndpointGone(0x803B0002));
        assertTrue(HResult.isEndpointGone(0x80070490));
        assertFalse(HResult.isEndpointGone(0x803B0008));
        assertFalse(HResult.isEndpointGone(0x803B0001));
    }

    @Test
    void negativeMeansFailed() {
        assertTrue(HResult.failed(0x80004005));
        assertFalse(HResult.failed(0));
        assertFalse(HResult.failed(1)); // S_FALSE is a success
    }
}
