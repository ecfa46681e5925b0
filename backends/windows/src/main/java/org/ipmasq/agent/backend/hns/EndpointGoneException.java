package org.ipmasq.agent.backend.hns;

/**
 * HNS says the endpoint does not exist: normally a pod deleted between listing and opening it.
 * Not a failure of the sync; the endpoint is skipped.
 */
final class EndpointGoneException extends HcnException {

    EndpointGoneException(String operation, int hresult, String errorRecord) {
        super(operation, hresult, errorRecord);
    }
}
