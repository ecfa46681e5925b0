package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings one endpoint's OutBoundNAT exceptions in line, with the strategy of windows-hns.md,
 * since what HNS does with an Update of an existing OutBoundNAT is not documented:
 *
 * <ol>
 *   <li>send Update with the queried policy copied and only its exceptions replaced;
 *   <li>query again; done if the endpoint now reads as planned ({@link EndpointPlan#mismatch});
 *   <li>otherwise Remove the OutBoundNAT as that last query read it (the original if Update did
 *       nothing, also any copy Update appended), then Add the new one plus any other policy
 *       Update lost; query and check again;
 *   <li>if Add is refused after Remove succeeded, add the removed policy back as it was, so
 *       the pod keeps its outbound NAT; report the endpoint failed.
 * </ol>
 *
 * An endpoint that turns out to be gone at any step (its pod deleted) is skipped.
 */
final class EndpointReconciler {

    private final Hcn hcn;

    EndpointReconciler(Hcn hcn) {
        this.hcn = hcn;
    }

    /** Signals that the endpoint no longer exists; caught in {@link #reconcile}. */
    private static final class Gone extends Exception {
        Gone() {
            super(null, null, false, false);
        }
    }

    EndpointOutcome reconcile(String id, WantedExceptions wanted) {
        try {
            return attempt(id, wanted);
        } catch (Gone gone) {
            return new EndpointOutcome.Vanished(id);
        }
    }

    private EndpointOutcome attempt(String id, WantedExceptions wanted) throws Gone {
        EndpointView first;
        EndpointPlan plan;
        try {
            first = read(id);
            if (first.remote()) {
                return new EndpointOutcome.Unchanged(id); // lives on another host: never ours
            }
            plan = EndpointPlan.of(first, wanted);
        } catch (HcnException e) {
            return new EndpointOutcome.Failed(id, "endpoint " + id + ": " + e.getMessage());
        }
        if (plan.isEmpty()) {
            return new EndpointOutcome.Unchanged(id);
        }
        String label = first.label();
        Optional<HcnException> updateError = send(id, plan.updateRequest());
        EndpointView afterUpdate;
        try {
            afterUpdate = read(id);
        } catch (HcnException e) {
            return failed(id, label, plan, "Update " + updateError.map(u -> "refused (" + u.getMessage() + ")").orElse("sent")
                    + ", then reading the endpoint back failed: " + e.getMessage());
        }
        Optional<String> mismatch = plan.mismatch(afterUpdate);
        if (mismatch.isEmpty()) {
            return new EndpointOutcome.Changed(id, Strategy.UPDATE,
                    "endpoint " + label + ": " + plan.describe() + " via " + Strategy.UPDATE.label());
        }
        String why = updateError.map(e -> "Update refused: " + e.getMessage())
                .orElse("Update did not take: " + mismatch.get());
        return removeThenAdd(id, label, plan, afterUpdate, why);
    }

    private EndpointOutcome removeThenAdd(String id, String label, EndpointPlan plan, EndpointView now, String why)
            throws Gone {
        List<ObjectNode> present = plan.presentNats(now);
        if (!present.isEmpty()) {
            Optional<HcnException> removeError = send(id, ModifyRequest.policies(ModifyRequest.REMOVE, present));
            if (removeError.isPresent()) {
                return failed(id, label, plan, why + "; Remove refused: " + removeError.get().getMessage());
            }
        }
        List<ObjectNode> toAdd = new ArrayList<>(plan.newPolicies());
        toAdd.addAll(plan.lostPolicies(now));
        Optional<HcnException> addError = send(id, ModifyRequest.policies(ModifyRequest.ADD, toAdd));
        if (addError.isPresent()) {
            String failure = why + "; Add refused: " + addError.get().getMessage();
            if (present.isEmpty()) {
                return failed(id, label, plan, failure);
            }
            Optional<HcnException> restoreError = send(id, ModifyRequest.policies(ModifyRequest.ADD, present));
            return failed(id, label, plan, failure + restoreError
                    .map(e -> "; adding the removed OutBoundNAT back failed too (" + e.getMessage()
                            + "): the endpoint is left WITHOUT it; it was " + present.stream().map(Json::compact).toList())
                    .orElse("; the removed OutBoundNAT was added back as it was"));
        }
        EndpointView afterAdd;
        try {
            afterAdd = read(id);
        } catch (HcnException e) {
            return failed(id, label, plan, why + "; Remove+Add sent, then reading the endpoint back failed: " + e.getMessage());
        }
        Optional<String> mismatch = plan.mismatch(afterAdd);
        if (mismatch.isPresent()) {
            return failed(id, label, plan, why + "; after Remove+Add: " + mismatch.get());
        }
        return new EndpointOutcome.Changed(id, Strategy.REMOVE_ADD,
                "endpoint " + label + ": " + plan.describe() + " via " + Strategy.REMOVE_ADD.label() + " (" + why + ")");
    }

    private static EndpointOutcome failed(String id, String label, EndpointPlan plan, String why) {
        return new EndpointOutcome.Failed(id, "endpoint " + label + ": could not apply " + plan.describe() + ": " + why);
    }

    private EndpointView read(String id) throws HcnException, Gone {
        try {
            return EndpointView.parse(id, hcn.queryEndpoint(id));
        } catch (EndpointGoneException e) {
            throw new Gone();
        }
    }

    /** The request's error, if any. A not-found answer counts as gone only if a query confirms it. */
    private Optional<HcnException> send(String id, ObjectNode request) throws Gone {
        try {
            hcn.modifyEndpoint(id, Json.compact(request));
            return Optional.empty();
        } catch (EndpointGoneException e) {
            // 0x80070490 is a generic "not found": from a modify it might mean a policy, not the endpoint.
            confirmGone(id);
            return Optional.of(e);
        } catch (HcnException e) {
            return Optional.of(e);
        }
    }

    private void confirmGone(String id) throws Gone {
        try {
            hcn.queryEndpoint(id);
        } catch (EndpointGoneException e) {
            throw new Gone();
        } catch (HcnException inconclusive) {
            // the endpoint may exist; the modify error stands as the failure
        }
    }
}
