package org.ipmasq.agent.backend.hns;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Ole32;

/**
 * The one place that loads native code: computenetwork.dll through JNA, and ole32 for
 * CoTaskMemFree. The provider reaches this class only on Windows and only on the first HCN
 * call, so on Linux neither this class nor {@code com.sun.jna.Native} is ever initialised (a
 * test and the packaged-agent IT check it).
 */
final class ComputeNetworkLibrary {

    private ComputeNetworkLibrary() {
    }

    static Hcn load() throws HcnException {
        try {
            ComputeNetworkApi api = Native.load("computenetwork", ComputeNetworkApi.class);
            Ole32 ole32 = Ole32.INSTANCE;
            return new NativeHcn(api, ole32::CoTaskMemFree);
        } catch (LinkageError e) {
            // UnsatisfiedLinkError for a missing DLL or export; NoClassDefFoundError or
            // ExceptionInInitializerError when JNA's own native part cannot load.
            throw HcnException.libraryMissing(e);
        }
    }
}
