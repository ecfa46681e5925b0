package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.PointerByReference;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JNA interface against the C prototypes of computenetwork.h (copied verbatim from
 * windows-hns.md): same functions, same parameter order, names and the Java type that JNA
 * maps each C type with. A wrong mapping would not fail to compile; it would corrupt the stack
 * or memory on Windows, so it is checked here, where it can be.
 */
class ComputeNetworkApiSignatureTest {

    static final String PROTOTYPES = """
            HRESULT HcnEnumerateEndpoints(PCWSTR query, PWSTR* endpoints, PWSTR* errorRecord);
            HRESULT HcnOpenEndpoint(const GUID* id, HCN_ENDPOINT* endpoint, PWSTR* errorRecord);
            HRESULT HcnQueryEndpointProperties(HCN_ENDPOINT endpoint, PCWSTR query, PWSTR* properties, PWSTR* errorRecord);
            HRESULT HcnModifyEndpoint(HCN_ENDPOINT endpoint, PCWSTR settings, PWSTR* errorRecord);
            HRESULT HcnCloseEndpoint(HCN_ENDPOINT endpoint);
            """;

    /** windows-hns.md's JNA mapping. */
    static final Map<String, Class<?>> JNA_TYPE = Map.of(
            "HRESULT", int.class,
            "PCWSTR", WString.class,
            "PWSTR*", PointerByReference.class,
            "const GUID*", Guid.GUID.class,
            "HCN_ENDPOINT*", PointerByReference.class,
            "HCN_ENDPOINT", Pointer.class);

    private static final Pattern PROTOTYPE = Pattern.compile("(\\w+) (\\w+)\\((.*)\\);");
    private static final Pattern PARAMETER = Pattern.compile("(.*?)\\s*(\\w+)");

    @Test
    void everyPrototypeHasAMatchingMethodAndNothingElseIsBound() throws Exception {
        // Loading (not initialising) the interface: this test must not need native code either.
        Class<?> api = Class.forName(ComputeNetworkApi.class.getName(), false, getClass().getClassLoader());
        Map<String, Method> methods = new TreeMap<>();
        Arrays.stream(api.getDeclaredMethods()).forEach(m -> methods.put(m.getName(), m));
        List<String> prototypes = PROTOTYPES.lines().toList();
        assertEquals(prototypes.size(), methods.size(), "bound functions: " + methods.keySet());

        for (String prototype : prototypes) {
            Matcher m = PROTOTYPE.matcher(prototype);
            assertTrue(m.matches(), prototype);
            Method method = methods.get(m.group(2));
            assertTrue(method != null, "no method for " + prototype);
            assertEquals(JNA_TYPE.get(m.group(1)), method.getReturnType(), prototype);
            String[] cParameters = m.group(3).split(",\\s*");
            Parameter[] javaParameters = method.getParameters();
            assertEquals(cParameters.length, javaParameters.length, prototype);
            for (int i = 0; i < cParameters.length; i++) {
                Matcher p = PARAMETER.matcher(cParameters[i].strip());
                assertTrue(p.matches(), cParameters[i]);
                assertEquals(JNA_TYPE.get(p.group(1)), javaParameters[i].getType(), prototype + " parameter " + i);
                assertTrue(javaParameters[i].isNamePresent(), "compiled without -parameters?");
                assertEquals(p.group(2), javaParameters[i].getName(), prototype + " parameter " + i);
            }
        }
    }

    @Test
    void guidIsAStructureSoJnaPassesItByReference() {
        // A Structure argument is passed as a pointer unless it implements Structure.ByValue.
        assertTrue(com.sun.jna.Structure.class.isAssignableFrom(Guid.GUID.class));
        assertTrue(!com.sun.jna.Structure.ByValue.class.isAssignableFrom(Guid.GUID.class));
    }

    @Test
    void itIsAStdCallLibrarySoX86CallsAreRight() {
        assertTrue(com.sun.jna.win32.StdCallLibrary.class.isAssignableFrom(ComputeNetworkApi.class));
    }
}
