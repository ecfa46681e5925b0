package org.ipmasq.agent.backend.hns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.ReportKinds;
import org.ipmasq.agent.core.SyncReport;
import org.ipmasq.agent.core.Tally;

/**
 * Collects one pass's outcomes into the report: one change per endpoint or file changed or
 * failed, and counts that are reported even when they are all zero, so an operator can tell
 * "nothing to do" from "nothing looked at". Lives for one pass only.
 */
final class SyncTally {

    static final Tally ENDPOINTS_CHECKED = new Tally(Tally.Kind.HNS_ENDPOINTS, "checked");
    static final Tally ENDPOINTS_CHANGED = new Tally(Tally.Kind.HNS_ENDPOINTS, "changed");
    static final Tally ENDPOINTS_FAILED = new Tally(Tally.Kind.HNS_ENDPOINTS, "failed");
    static final Tally ENDPOINTS_VANISHED = new Tally(Tally.Kind.HNS_ENDPOINTS, "vanished");
    static final Tally CNI_FILES_CHECKED = new Tally(Tally.Kind.CNI_CONF_FILES, "checked");
    static final Tally CNI_FILES_REWRITTEN = new Tally(Tally.Kind.CNI_CONF_FILES, "rewritten");
    static final Tally CNI_FILES_FAILED = new Tally(Tally.Kind.CNI_CONF_FILES, "failed");

    static final String ENDPOINT_UPDATED = "endpoint_updated";
    static final String ENDPOINT_FAILED = "endpoint_failed";
    static final String CNI_CONF_REWRITTEN = "cni_conf_rewritten";
    static final String CNI_CONF_FAILED = "cni_conf_failed";

    /** Everything a pass can report, each exported at 0 before it first happens. */
    static final ReportKinds REPORTS = new ReportKinds(
            Set.of(ENDPOINT_UPDATED, ENDPOINT_FAILED, CNI_CONF_REWRITTEN, CNI_CONF_FAILED),
            Stream.concat(Stream.of(ENDPOINTS_CHECKED, ENDPOINTS_CHANGED, ENDPOINTS_FAILED, ENDPOINTS_VANISHED,
                    CNI_FILES_CHECKED, CNI_FILES_REWRITTEN, CNI_FILES_FAILED),
                    Arrays.stream(Strategy.values()).map(Strategy::tally)).collect(Collectors.toSet()));

    /** Failures named in full in the exception message; the rest are in the log. */
    private static final int NAMED_FAILURES = 3;

    private final Map<Tally, Long> counts = new LinkedHashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final List<String> endpointFailures = new ArrayList<>();
    private final List<String> fileFailures = new ArrayList<>();
    private final List<EndpointOutcome.Changed> changed = new ArrayList<>();

    SyncTally() {
        for (Tally key : List.of(ENDPOINTS_CHECKED, ENDPOINTS_CHANGED, ENDPOINTS_FAILED, ENDPOINTS_VANISHED,
                Strategy.UPDATE.tally(), Strategy.REMOVE_ADD.tally(), CNI_FILES_CHECKED, CNI_FILES_REWRITTEN,
                CNI_FILES_FAILED)) {
            counts.put(key, 0L);
        }
    }

    void endpoint(EndpointOutcome outcome) {
        if (outcome instanceof EndpointOutcome.Vanished) {
            count(ENDPOINTS_VANISHED);
            return;
        }
        count(ENDPOINTS_CHECKED);
        if (outcome instanceof EndpointOutcome.Changed c) {
            count(ENDPOINTS_CHANGED);
            count(c.strategy().tally());
            changes.add(new Change(ENDPOINT_UPDATED, c.description()));
            changed.add(c);
        } else if (outcome instanceof EndpointOutcome.Failed f) {
            count(ENDPOINTS_FAILED);
            changes.add(new Change(ENDPOINT_FAILED, f.description()));
            endpointFailures.add(f.description());
        }
    }

    void file(CniConfRewriter.FileOutcome outcome) {
        if (outcome instanceof CniConfRewriter.Failed f) {
            count(CNI_FILES_FAILED);
            String description = "CNI conf " + f.file() + ": " + f.reason() + "; left untouched";
            changes.add(new Change(CNI_CONF_FAILED, description));
            fileFailures.add(description);
            return;
        }
        count(CNI_FILES_CHECKED);
        if (outcome instanceof CniConfRewriter.Rewritten r) {
            count(CNI_FILES_REWRITTEN);
            changes.add(new Change(CNI_CONF_REWRITTEN, "CNI conf " + r.file() + ": OutBoundNAT exceptions set to "
                    + r.lists().stream().map(Object::toString).collect(Collectors.joining(" and "))));
        }
    }

    boolean anyFailed() {
        return !endpointFailures.isEmpty() || !fileFailures.isEmpty();
    }

    List<EndpointOutcome.Changed> changed() {
        return List.copyOf(changed);
    }

    SyncReport report() {
        return new SyncReport(changes, counts);
    }

    /** One line for the exception: how many failed, the first few in full. */
    String failureSummary() {
        List<String> parts = new ArrayList<>();
        if (!endpointFailures.isEmpty()) {
            parts.add(endpointFailures.size() + " of " + (counts.get(ENDPOINTS_CHECKED)) + " HNS endpoints not in line: "
                    + named(endpointFailures));
        }
        if (!fileFailures.isEmpty()) {
            parts.add(fileFailures.size() + " CNI conf file(s) not in line: " + named(fileFailures));
        }
        return String.join("; ", parts);
    }

    private static String named(List<String> failures) {
        String shown = failures.stream().limit(NAMED_FAILURES).collect(Collectors.joining("; "));
        return failures.size() > NAMED_FAILURES ? shown + "; and " + (failures.size() - NAMED_FAILURES) + " more (see log)" : shown;
    }

    private void count(Tally key) {
        counts.merge(key, 1L, Long::sum);
    }
}
