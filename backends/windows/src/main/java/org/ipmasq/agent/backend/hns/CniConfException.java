package org.ipmasq.agent.backend.hns;

/** A CNI conf file that cannot be read or understood; the file is left as it is. */
final class CniConfException extends Exception {

    CniConfException(String message) {
        super(message);
    }

    CniConfException(String message, Throwable cause) {
        super(message, cause);
    }
}
