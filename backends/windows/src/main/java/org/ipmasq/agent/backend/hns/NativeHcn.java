package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * {@link Hcn} over computenetwork.dll. The rules of the API are kept here and nowhere else:
 * every string HNS returns (result and error record) is freed with CoTaskMemFree on success and
 * failure paths alike, a call failed when the HRESULT is negative OR the error record is not
 * empty, and every opened endpoint handle is closed in {@code finally}.
 *
 * <p>Constructed only by {@link ComputeNetworkLibrary}; tests drive it with a Java
 * implementation of {@link ComputeNetworkApi} and a recording {@code free}.
 */
final class NativeHcn implements Hcn {

    private static final Logger LOG = Logger.getLogger(NativeHcn.class);

    /** The default v2 query; "Flags" 0 (standard detail) is enough for Policies and Flags. */
    static final String QUERY = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}";

    private static final Pattern GUID = Pattern.compile(
            "\\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}}?");

    private final ComputeNetworkApi api;
    private final Consumer<Pointer> free;

    NativeHcn(ComputeNetworkApi api, Consumer<Pointer> free) {
        this.api = api;
        this.free = free;
    }

    @Override
    public List<String> listEndpointIds() throws HcnException {
        PointerByReference result = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int hr = api.HcnEnumerateEndpoints(new WString(QUERY), result, error);
        String list = take(result);
        check("HcnEnumerateEndpoints", hr, take(error));
        return parseIds(list);
    }

    @Override
    public String queryEndpoint(String id) throws HcnException {
        return withEndpoint(id, handle -> {
            PointerByReference result = new PointerByReference();
            PointerByReference error = new PointerByReference();
            int hr = api.HcnQueryEndpointProperties(handle, new WString(QUERY), result, error);
            String properties = take(result);
            check("HcnQueryEndpointProperties", hr, take(error));
            return properties;
        });
    }

    @Override
    public void modifyEndpoint(String id, String request) throws HcnException {
        withEndpoint(id, handle -> {
            PointerByReference error = new PointerByReference();
            int hr = api.HcnModifyEndpoint(handle, new WString(request), error);
            check("HcnModifyEndpoint", hr, take(error));
            return null;
        });
    }

    private interface HandleAction<T> {
        T apply(Pointer handle) throws HcnException;
    }

    private <T> T withEndpoint(String id, HandleAction<T> action) throws HcnException {
        if (!GUID.matcher(id).matches()) {
            throw new HcnException("endpoint ID \"" + id + "\" is not a GUID");
        }
        PointerByReference handleOut = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int hr = api.HcnOpenEndpoint(new Guid.GUID(id), handleOut, error);
        String record = take(error);
        Pointer handle = handleOut.getValue();
        try {
            check("HcnOpenEndpoint", hr, record);
            return action.apply(handle);
        } finally {
            if (handle != null) {
                int closed = api.HcnCloseEndpoint(handle);
                if (HResult.failed(closed)) {
                    // Nothing to retry: the handle is gone either way; say so for leak hunting.
                    LOG.warnf("HcnCloseEndpoint(%s) failed: %s", id, HResult.describe(closed));
                }
            }
        }
    }

    /** Reads and frees one callee-allocated string; empty when HNS returned none. */
    private String take(PointerByReference out) {
        Pointer p = out.getValue();
        if (p == null) {
            return "";
        }
        try {
            return p.getWideString(0);
        } finally {
            free.accept(p);
        }
    }

    private static void check(String operation, int hr, String errorRecord) throws HcnException {
        if (HResult.failed(hr) || !errorRecord.isBlank()) {
            throw HcnException.of(operation, hr, errorRecord);
        }
    }

    private static List<String> parseIds(String list) throws HcnException {
        if (list.isBlank()) {
            return List.of();
        }
        try {
            JsonNode ids = Json.MAPPER.readTree(list);
            if (ids.isNull()) {
                return List.of();
            }
            if (!ids.isArray()) {
                throw new HcnException("HcnEnumerateEndpoints returned " + Json.abbreviate(list) + ", not a JSON array");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode id : ids) {
                if (!id.isTextual()) {
                    throw new HcnException("HcnEnumerateEndpoints returned a non-string ID: " + id);
                }
                out.add(id.asText());
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new HcnException("HcnEnumerateEndpoints returned invalid JSON: " + e.getMessage(), e);
        }
    }
}
