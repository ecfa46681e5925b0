package org.ipmasq.agent.backend.hns;

import java.util.OptionalInt;

/**
 * An HCN call failed. Carries the HRESULT and HNS's error record when the failure came from
 * HNS itself; both are absent when it came from our side (library missing, unreadable JSON).
 * The error record's format is undocumented, so it is kept and shown verbatim.
 */
class HcnException extends Exception {

    private final OptionalInt hresult;
    private final String errorRecord;

    /** A call that returned a failing HRESULT or a non-empty error record. */
    HcnException(String operation, int hresult, String errorRecord) {
        super(operation + " failed: " + HResult.describe(hresult)
                + (errorRecord.isBlank() ? "" : "; error record: " + errorRecord.strip()));
        this.hresult = OptionalInt.of(hresult);
        this.errorRecord = errorRecord;
    }

    /** A failure without an HRESULT. */
    HcnException(String message) {
        this(message, null);
    }

    HcnException(String message, Throwable cause) {
        super(message, cause);
        this.hresult = OptionalInt.empty();
        this.errorRecord = "";
    }

    /**
     * The exception for a failed call: {@link EndpointGoneException} when the HRESULT says the
     * endpoint does not exist (any more), so callers can tell a deleted pod from a real failure.
     */
    static HcnException of(String operation, int hresult, String errorRecord) {
        return HResult.isEndpointGone(hresult)
                ? new EndpointGoneException(operation, hresult, errorRecord)
                : new HcnException(operation, hresult, errorRecord);
    }

    /** computenetwork.dll (or JNA's own native part) could not be loaded. */
    static HcnException libraryMissing(Throwable cause) {
        return new HcnException("computenetwork.dll could not be loaded (" + cause + "); the HCN API needs "
                + "Windows Server 2019 or later (HNS 9.2+) with the Containers feature", cause);
    }

    OptionalInt hresult() {
        return hresult;
    }

    String errorRecord() {
        return errorRecord;
    }
}
