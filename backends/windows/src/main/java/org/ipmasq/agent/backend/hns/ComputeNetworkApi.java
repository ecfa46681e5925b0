package org.ipmasq.agent.backend.hns;

import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallLibrary;

/**
 * The endpoint functions of computenetwork.dll, one to one with computenetwork.h:
 *
 * <pre>
 * HRESULT HcnEnumerateEndpoints(PCWSTR query, PWSTR* endpoints, PWSTR* errorRecord);
 * HRESULT HcnOpenEndpoint(const GUID* id, HCN_ENDPOINT* endpoint, PWSTR* errorRecord);
 * HRESULT HcnQueryEndpointProperties(HCN_ENDPOINT endpoint, PCWSTR query, PWSTR* properties, PWSTR* errorRecord);
 * HRESULT HcnModifyEndpoint(HCN_ENDPOINT endpoint, PCWSTR settings, PWSTR* errorRecord);
 * HRESULT HcnCloseEndpoint(HCN_ENDPOINT endpoint);
 * </pre>
 *
 * PCWSTR is a {@link WString} (UTF-16 in); every PWSTR* and the HCN_ENDPOINT* out-parameter is a
 * {@link PointerByReference}; HCN_ENDPOINT itself is an opaque {@link Pointer}. {@link Guid.GUID}
 * is a Structure, which JNA passes by reference, matching {@code const GUID*}. HRESULT is an
 * {@code int}: WinNT.HRESULT extends NativeLong, whose class initialiser would pull in
 * {@code com.sun.jna.Native} wherever the type is merely touched.
 *
 * <p>Method names must stay exactly the exported names: JNA maps them one to one. The networks'
 * five functions are not bound: the backend acts on endpoints only. StdCallLibrary: WINAPI is
 * stdcall on 32-bit x86 (irrelevant on x64, where there is one convention).
 *
 * <p>Only {@link ComputeNetworkLibrary} loads this interface, and only on Windows.
 */
public interface ComputeNetworkApi extends StdCallLibrary {

    int HcnEnumerateEndpoints(WString query, PointerByReference endpoints, PointerByReference errorRecord);

    int HcnOpenEndpoint(Guid.GUID id, PointerByReference endpoint, PointerByReference errorRecord);

    int HcnQueryEndpointProperties(Pointer endpoint, WString query, PointerByReference properties,
            PointerByReference errorRecord);

    int HcnModifyEndpoint(Pointer endpoint, WString settings, PointerByReference errorRecord);

    int HcnCloseEndpoint(Pointer endpoint);
}
