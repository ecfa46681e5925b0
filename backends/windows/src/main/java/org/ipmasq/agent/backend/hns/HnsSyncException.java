package org.ipmasq.agent.backend.hns;

import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.SyncReport;

/**
 * A sync that did what it could but not everything: some endpoints or CNI confs could not be
 * brought in line, or the endpoints could not be listed at all. Thrown after every endpoint
 * and file was tried, so the core's retry, backoff and health see a failed pass, while
 * {@link #partial()} keeps what did happen.
 */
final class HnsSyncException extends BackendException {

    HnsSyncException(String message, SyncReport partial) {
        super(message, partial);
    }
}
