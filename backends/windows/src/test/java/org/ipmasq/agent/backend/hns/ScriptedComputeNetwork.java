package org.ipmasq.agent.backend.hns;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * computenetwork.dll played by Java, for testing {@link NativeHcn}'s handling of the C API on
 * any OS: it hands out callee-allocated wide strings and handles the way the DLL does, and
 * records what was allocated, freed, opened and closed, so tests can prove nothing leaks on
 * any path. Strings are written with JNA's platform wchar_t, which is what
 * {@code Pointer.getWideString} reads back (4 bytes on Linux, 2 on Windows).
 */
final class ScriptedComputeNetwork implements ComputeNetworkApi {

    /** What one call answers: an HRESULT, a result string (null for none), an error record (null for none). */
    record Answer(int hresult, String result, String errorRecord) {
        static Answer ok(String result) {
            return new Answer(0, result, null);
        }
    }

    final List<Pointer> allocated = new ArrayList<>();
    final List<Pointer> freed = new ArrayList<>();
    final List<Pointer> opened = new ArrayList<>();
    final List<Pointer> closed = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    final List<String> queries = new ArrayList<>();
    final List<String> settings = new ArrayList<>();

    Answer enumerate = Answer.ok("[]");
    Answer open = Answer.ok(null);
    Answer query = Answer.ok("{}");
    Answer modify = Answer.ok(null);
    /** A failing open that still hands out a handle, as a defensive check of the close path. */
    boolean handleEvenOnFailedOpen;
    int close;
    String openedGuid;

    void free(Pointer p) {
        freed.add(p);
    }

    private Pointer wide(String text) {
        if (text == null) {
            return null;
        }
        Memory memory = new Memory((long) (text.length() + 1) * Native.WCHAR_SIZE);
        memory.setWideString(0, text);
        allocated.add(memory);
        return memory;
    }

    @Override
    public int HcnEnumerateEndpoints(WString query, PointerByReference endpoints, PointerByReference errorRecord) {
        calls.add("HcnEnumerateEndpoints");
        queries.add(query.toString());
        endpoints.setValue(wide(enumerate.result()));
        errorRecord.setValue(wide(enumerate.errorRecord()));
        return enumerate.hresult();
    }

    @Override
    public int HcnOpenEndpoint(Guid.GUID id, PointerByReference endpoint, PointerByReference errorRecord) {
        calls.add("HcnOpenEndpoint");
        openedGuid = id.toGuidString();
        if (open.hresult() >= 0 || handleEvenOnFailedOpen) {
            Memory handle = new Memory(8);
            opened.add(handle);
            endpoint.setValue(handle);
        }
        errorRecord.setValue(wide(open.errorRecord()));
        return open.hresult();
    }

    @Override
    public int HcnQueryEndpointProperties(Pointer endpoint, WString query, PointerByReference properties,
            PointerByReference errorRecord) {
        calls.add("HcnQueryEndpointProperties");
        checkOpen(endpoint);
        queries.add(query.toString());
        properties.setValue(wide(this.query.result()));
        errorRecord.setValue(wide(this.query.errorRecord()));
        return this.query.hresult();
    }

    @Override
    public int HcnModifyEndpoint(Pointer endpoint, WString settings, PointerByReference errorRecord) {
        calls.add("HcnModifyEndpoint");
        checkOpen(endpoint);
        this.settings.add(settings.toString());
        errorRecord.setValue(wide(modify.errorRecord()));
        return modify.hresult();
    }

    @Override
    public int HcnCloseEndpoint(Pointer endpoint) {
        calls.add("HcnCloseEndpoint");
        checkOpen(endpoint);
        closed.add(endpoint);
        return close;
    }

    private void checkOpen(Pointer handle) {
        if (!opened.contains(handle) || closed.contains(handle)) {
            throw new AssertionError("handle used that is not open: " + handle);
        }
    }
}
