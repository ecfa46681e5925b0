package org.ipmasq.agent.backend.hns;

import java.util.Map;

/**
 * Turns an HRESULT into text an operator can act on: the hex value plus, where known, the name
 * from winerror.h. Win32-facility codes carry a Win32 error in their low 16 bits; HCN's own
 * codes use facility 0x3B (names from Microsoft's "HCN Error Code" reference).
 */
final class HResult {

    static final int HCN_E_ENDPOINT_NOT_FOUND = 0x803B0002;
    static final int HCN_E_POLICY_NOT_FOUND = 0x803B0008;
    static final int HCN_E_POLICY_ALREADY_EXISTS = 0x803B0012;
    static final int HCN_E_REQUEST_UNSUPPORTED = 0x803B0015;
    static final int HCN_E_INVALID_JSON = 0x803B001B;
    /** HRESULT_FROM_WIN32(ERROR_NOT_FOUND). */
    static final int E_WIN32_NOT_FOUND = 0x80070490;

    private static final int FACILITY_WIN32 = 7;
    private static final int FACILITY_HCN = 0x3B;

    private static final Map<Integer, String> GENERIC = Map.of(
            0x00000000, "S_OK",
            0x00000001, "S_FALSE",
            0x80004001, "E_NOTIMPL",
            0x80004002, "E_NOINTERFACE",
            0x80004003, "E_POINTER",
            0x80004004, "E_ABORT",
            0x80004005, "E_FAIL",
            0x8000FFFF, "E_UNEXPECTED");

    private static final Map<Integer, String> WIN32 = Map.ofEntries(
            Map.entry(2, "ERROR_FILE_NOT_FOUND"),
            Map.entry(5, "ERROR_ACCESS_DENIED"),
            Map.entry(6, "ERROR_INVALID_HANDLE"),
            Map.entry(13, "ERROR_INVALID_DATA"),
            Map.entry(14, "ERROR_OUTOFMEMORY"),
            Map.entry(50, "ERROR_NOT_SUPPORTED"),
            Map.entry(87, "ERROR_INVALID_PARAMETER"),
            Map.entry(122, "ERROR_INSUFFICIENT_BUFFER"),
            Map.entry(183, "ERROR_ALREADY_EXISTS"),
            Map.entry(1060, "ERROR_SERVICE_DOES_NOT_EXIST"),
            Map.entry(1062, "ERROR_SERVICE_NOT_ACTIVE"),
            Map.entry(1168, "ERROR_NOT_FOUND"),
            Map.entry(1460, "ERROR_TIMEOUT"),
            Map.entry(1722, "RPC_S_SERVER_UNAVAILABLE"));

    /** Index = code - 1 for 0x803B0001..0x803B0037. */
    private static final String[] HCN = {
        "HCN_E_NETWORK_NOT_FOUND", "HCN_E_ENDPOINT_NOT_FOUND", "HCN_E_LAYER_NOT_FOUND", "HCN_E_SWITCH_NOT_FOUND",
        "HCN_E_SUBNET_NOT_FOUND", "HCN_E_ADAPTER_NOT_FOUND", "HCN_E_PORT_NOT_FOUND", "HCN_E_POLICY_NOT_FOUND",
        "HCN_E_VFP_PORTSETTING_NOT_FOUND", "HCN_E_INVALID_NETWORK", "HCN_E_INVALID_NETWORK_TYPE",
        "HCN_E_INVALID_ENDPOINT", "HCN_E_INVALID_POLICY", "HCN_E_INVALID_POLICY_TYPE",
        "HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION", "HCN_E_NETWORK_ALREADY_EXISTS", "HCN_E_LAYER_ALREADY_EXISTS",
        "HCN_E_POLICY_ALREADY_EXISTS", "HCN_E_PORT_ALREADY_EXISTS", "HCN_E_ENDPOINT_ALREADY_ATTACHED",
        "HCN_E_REQUEST_UNSUPPORTED", "HCN_E_MAPPING_NOT_SUPPORTED", "HCN_E_DEGRADED_OPERATION",
        "HCN_E_SHARED_SWITCH_MODIFICATION", "HCN_E_GUID_CONVERSION_FAILURE", "HCN_E_REGKEY_FAILURE",
        "HCN_E_INVALID_JSON", "HCN_E_INVALID_JSON_REFERENCE", "HCN_E_ENDPOINT_SHARING_DISABLED", "HCN_E_INVALID_IP",
        "HCN_E_SWITCH_EXTENSION_NOT_FOUND", "HCN_E_MANAGER_STOPPED", "GCN_E_MODULE_NOT_FOUND",
        "GCN_E_NO_REQUEST_HANDLERS", "GCN_E_REQUEST_UNSUPPORTED", "GCN_E_RUNTIMEKEYS_FAILED",
        "GCN_E_NETADAPTER_TIMEOUT", "GCN_E_NETADAPTER_NOT_FOUND", "GCN_E_NETCOMPARTMENT_NOT_FOUND",
        "GCN_E_NETINTERFACE_NOT_FOUND", "GCN_E_DEFAULTNAMESPACE_EXISTS", "HCN_E_ICS_DISABLED",
        "HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS", "HCN_E_ENTITY_HAS_REFERENCES", "HCN_E_INVALID_INTERNAL_PORT",
        "HCN_E_NAMESPACE_ATTACH_FAILED", "HCN_E_ADDR_INVALID_OR_RESERVED", "HCN_E_INVALID_PREFIX",
        "HCN_E_OBJECT_USED_AFTER_UNLOAD", "HCN_E_INVALID_SUBNET", "HCN_E_INVALID_IP_SUBNET",
        "HCN_E_ENDPOINT_NOT_ATTACHED", "HCN_E_ENDPOINT_NOT_LOCAL", "HCN_INTERFACEPARAMETERS_ALREADY_APPLIED",
        "HCN_E_VFP_NOT_ALLOWED",
    };

    private HResult() {
    }

    static boolean failed(int hresult) {
        return hresult < 0;
    }

    /** The codes with which HNS says an endpoint no longer exists (a pod deleted since we listed it). */
    static boolean isEndpointGone(int hresult) {
        return hresult == HCN_E_ENDPOINT_NOT_FOUND || hresult == E_WIN32_NOT_FOUND;
    }

    static String hex(int hresult) {
        return String.format("0x%08X", hresult);
    }

    /** E.g. {@code 0x803B0015 (HCN_E_REQUEST_UNSUPPORTED)} or {@code 0x80070490 (Win32 ERROR_NOT_FOUND)}. */
    static String describe(int hresult) {
        return hex(hresult) + " (" + name(hresult) + ")";
    }

    static String name(int hresult) {
        if (GENERIC.containsKey(hresult)) {
            return GENERIC.get(hresult);
        }
        int facility = (hresult >> 16) & 0x1FFF;
        int code = hresult & 0xFFFF;
        if (facility == FACILITY_WIN32) {
            String known = WIN32.get(code);
            return known != null ? "Win32 " + known : "Win32 error " + code;
        }
        if (facility == FACILITY_HCN) {
            return code >= 1 && code <= HCN.length ? HCN[code - 1] : String.format("HCN facility, code 0x%04X", code);
        }
        return String.format("facility 0x%X, code 0x%04X", facility, code);
    }
}
