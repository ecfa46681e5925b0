package org.ipmasq.agent.backend.hns;

/** A text that is not JSON as Go's encoding/json reads it; the message says why and where. */
final class JsonDocumentException extends Exception {

    JsonDocumentException(String message) {
        super(message);
    }

    JsonDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
