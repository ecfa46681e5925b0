package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.core.PartialPlanException;
import org.ipmasq.agent.core.ReportKinds;
import org.ipmasq.agent.core.SyncReport;
import org.jboss.logging.Logger;

/**
 * Enforces the policy on Windows: the OutBoundNAT exception list of every local HNS endpoint
 * that has an OutBoundNAT (existing pods), and of the CNI conf files given with
 * {@code --windows-cni-conf} (pods still to come). Remote endpoints, endpoints without an
 * OutBoundNAT and every other policy are never changed. One endpoint failing does not stop the
 * others; the pass is reported failed afterwards, so the core retries and health shows it.
 */
final class HnsBackend implements MasqBackend {

    private static final Logger LOG = Logger.getLogger(HnsBackend.class);
    static final String NAME = "hns";

    private final Hcn hcn;
    private final EndpointReconciler reconciler;
    private final Optional<CniConfRewriter> cniConfs;
    private final Map<String, String> facts;
    /** Warnings and announcements said once per process, not once per pass. */
    private final Set<String> warned = Collections.synchronizedSet(new HashSet<>());
    private final Set<Strategy> announced = Collections.synchronizedSet(EnumSet.noneOf(Strategy.class));
    private volatile Map<String, String> details;

    HnsBackend(Hcn hcn, String hcnSource, Optional<CniConfRewriter> cniConfs) {
        this.hcn = hcn;
        this.reconciler = new EndpointReconciler(hcn);
        this.cniConfs = cniConfs;
        Map<String, String> base = new LinkedHashMap<>();
        base.put("hnsApi", "v2");
        base.put("hcn", hcnSource);
        base.put("cniConf", cniConfs.map(c -> c.path().toString()).orElse("none"));
        this.facts = Map.copyOf(base);
        this.details = facts;
    }

    @Override
    public ReportKinds reportKinds() {
        return SyncTally.REPORTS;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The fixed facts plus the last pass's counts, so health data shows them after a failed pass too. */
    @Override
    public Map<String, String> details() {
        return details;
    }

    @Override
    public SyncReport sync(MasqPolicy policy) throws BackendException {
        WantedExceptions wanted = wanted(policy);
        SyncTally tally = new SyncTally();
        Optional<String> listError = Optional.empty();
        List<String> ids = List.of();
        try {
            ids = hcn.listEndpointIds();
        } catch (HcnException e) {
            listError = Optional.of("cannot list HNS endpoints: " + e.getMessage());
        }
        for (String id : ids) {
            tally.endpoint(reconciler.reconcile(id, wanted));
        }
        // The CNI confs are fixed even when HNS cannot be reached: they decide every new pod.
        cniConfs.ifPresent(c -> c.run(wanted, true).forEach(tally::file));
        SyncReport report = tally.report();
        remember(report.countsByKey());
        tally.changed().forEach(this::announce);
        if (listError.isPresent() || tally.anyFailed()) {
            // The core logs a pass's changes only when it succeeds; these happened all the same.
            report.changes().forEach(HnsBackend::log);
            String summary = tally.failureSummary();
            throw new HnsSyncException(listError.map(e -> summary.isEmpty() ? e : e + "; " + summary).orElse(summary),
                    report);
        }
        return report;
    }

    /**
     * One JSON document per line: {@code {"endpoint":ID,"request":...}} for each Update request
     * a sync would send first, {@code {"file":PATH,"exceptions":[...],"diff":"..."}} for each
     * list a CNI conf would get (the diff being the whole file's edit), nothing for what is
     * already right. An endpoint or file that cannot be read gets its own line
     * {@code {"endpoint"|"file":...,"error":REASON}}, the others are still previewed, and the
     * preview then fails as a whole ({@link PartialPlanException}), so the run exits 1.
     */
    @Override
    public String plan(MasqPolicy policy) throws BackendException {
        WantedExceptions wanted = wanted(policy);
        StringBuilder out = new StringBuilder();
        List<String> problems = new ArrayList<>();
        List<String> ids;
        try {
            ids = hcn.listEndpointIds();
        } catch (HcnException e) {
            throw new BackendException("cannot list HNS endpoints: " + e.getMessage(), e);
        }
        for (String id : ids) {
            try {
                EndpointView endpoint = EndpointView.parse(id, hcn.queryEndpoint(id));
                if (endpoint.remote()) {
                    continue;
                }
                EndpointPlan plan = EndpointPlan.of(endpoint, wanted);
                if (!plan.isEmpty()) {
                    ObjectNode line = JsonNodeFactory.instance.objectNode();
                    line.put("endpoint", id);
                    line.set("request", plan.updateRequest());
                    out.append(Json.compact(line)).append('\n');
                }
            } catch (EndpointGoneException gone) {
                // deleted since listed: nothing to preview
            } catch (HcnException e) {
                out.append(errorLine("endpoint", id, e.getMessage()));
                problems.add("endpoint " + id + ": " + e.getMessage());
            }
        }
        for (CniConfRewriter.FileOutcome outcome : cniConfs.map(c -> c.run(wanted, false)).orElse(List.of())) {
            if (outcome instanceof CniConfRewriter.Rewritten rewritten) {
                for (List<String> list : rewritten.lists()) {
                    ObjectNode line = JsonNodeFactory.instance.objectNode();
                    line.put("file", rewritten.file().toString());
                    line.set("exceptions", Json.strings(list));
                    line.put("diff", rewritten.diff());
                    out.append(Json.compact(line)).append('\n');
                }
            } else if (outcome instanceof CniConfRewriter.Failed failed) {
                out.append(errorLine("file", failed.file().toString(), failed.reason()));
                problems.add("CNI conf " + failed.file() + ": " + failed.reason());
            }
        }
        if (!problems.isEmpty()) {
            throw new PartialPlanException("cannot preview everything: " + String.join("; ", problems), out.toString());
        }
        return out.toString();
    }

    private static String errorLine(String kind, String name, String reason) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put(kind, name);
        line.put("error", reason);
        return Json.compact(line) + "\n";
    }

    /**
     * Nothing to remove: the agent adds no policy of its own, it rewrites lists that HNS and the
     * CNI conf already had, and what they held before is not recorded. They stay as they are.
     */
    @Override
    public SyncReport cleanup() {
        LOG.info("hns: --cleanup changes nothing on Windows: OutBoundNAT exception lists and CNI confs keep the "
                + "last config's ranges (the agent adds no policy of its own to remove)");
        return SyncReport.UNCHANGED;
    }

    @Override
    public String planCleanup() {
        return "";
    }

    private WantedExceptions wanted(MasqPolicy policy) {
        for (String warning : WantedExceptions.inexpressible(policy)) {
            if (warned.add(warning)) {
                LOG.warn("hns: " + warning);
            }
        }
        return WantedExceptions.of(policy);
    }

    private void remember(Map<String, Long> counts) {
        Map<String, String> next = new LinkedHashMap<>(facts);
        new TreeMap<>(counts).forEach((key, value) -> next.put(key, Long.toString(value)));
        details = Map.copyOf(next);
    }

    /** The first time a strategy works, say so: it is how an operator learns what their HNS accepts. */
    private void announce(EndpointOutcome.Changed changed) {
        if (announced.add(changed.strategy())) {
            LOG.infof("hns: update strategy %s works on this node (first used for endpoint %s); "
                    + "counts strategy_update and strategy_remove_add tally each pass", changed.strategy().label(),
                    changed.id());
        }
    }

    private static void log(Change change) {
        if (change.kind().endsWith("_failed")) {
            LOG.warnf("%s: %s", NAME, change);
        } else {
            LOG.infof("%s: %s", NAME, change);
        }
    }
}
