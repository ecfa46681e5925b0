package org.ipmasq.agent.runtime;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.ipmasq.agent.exec.ProcessCommandRunner;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.cli.UsageException;
import org.ipmasq.agent.config.GoDuration;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Backends;
import org.ipmasq.agent.core.SyncOutcome;
import org.jboss.logging.Logger;

/**
 * The long-running agent: a first sync at once, then one every resyncInterval. The interval
 * comes from the config document, so the timer is re-armed whenever a pass reports a new one.
 */
public class AgentDaemon implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(AgentDaemon.class);
    private static final String JOB = "ip-masq-resync";
    /** Long enough for iptables-restore's own lock wait plus a large table. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** The Quarkus scheduler checks its triggers once a second; shorter intervals cannot be kept. */
    private static final Duration SHORTEST_INTERVAL = Duration.ofSeconds(1);

    @Inject
    Scheduler scheduler;

    @Inject
    AgentState state;

    @Inject
    Instance<KubernetesClient> kubernetes;

    @Inject
    AgentMetrics metrics;

    private AgentAssembly agent;
    private Duration scheduledInterval;

    @Override
    public int run(String... args) throws UsageException {
        ShutdownSignals signals = ShutdownSignals.install();
        AgentOptions options = ArgsParser.parse(Backends.installed().flags(), args);
        if (!options.ignoredFlags().isEmpty()) {
            LOG.warnf("ignoring klog flags of the original agent: %s", options.ignoredFlags());
        }
        Optional<EarlyPass.Handover> early;
        Optional<EarlyPass.Handover> readAhead = Optional.empty();
        try {
            early = takeOverEarlyPass();
            if (early.isPresent() && early.get().fromSnapshot()) {
                // The ConfigMaps as read before the boot: the informers carry on from here.
                readAhead = early;
                early = Optional.empty();
                readAhead.get().agent().close();
            }
            EarlyPass.whyNone().ifPresent(why -> LOG.infof("no pass before the boot: %s", why));
            agent = early.isPresent() ? early.get().agent()
                    : AgentAssembly.build(options, new ProcessCommandRunner(COMMAND_TIMEOUT),
                            AgentAssembly.clientIfCredentials(kubernetes::get), Clock.systemUTC(), this::afterPass,
                            signals.requested());
        } catch (BackendException e) {
            LOG.errorf("cannot start: %s", e.getMessage());
            return 1;
        }
        if (signals.isRequested()) {
            agent.close();
            LOG.info("ip-masq-agent stopped before its first pass; rules untouched");
            return 0;
        }
        LOG.infof("ip-masq-agent started: backend %s %s, config from %s", agent.backend().name(),
                agent.backend().details(), agent.status().get().configSource());
        state.publish(agent.status());
        metrics.declare(agent.backend().reportKinds());
        readAhead.ifPresent(pass -> {
            LOG.infof("first pass ran before Quarkus booted, on the ConfigMaps as read then, done %d ms after the JVM"
                    + " started%s", jvmUptimeAt(pass.finishedAt()).toMillis(),
                    pass.outcome().clean() ? "" : "; " + pass.outcome().errorLine());
            metrics.record(pass.outcome(), pass.agent().status().get());
        });
        try {
            if (early.isPresent()) {
                SyncOutcome first = early.get().outcome();
                LOG.infof("first pass ran before Quarkus booted, done %d ms after the JVM started",
                        jvmUptimeAt(early.get().finishedAt()).toMillis());
                afterPass(first);
                if (!first.clean()) {
                    agent.trigger(); // the loop's retry and backoff take over from here
                }
            } else {
                agent.trigger();
            }
            schedule(agent.status().get().resyncInterval());
            Quarkus.waitForExit();
        } finally {
            scheduler.unscheduleJob(JOB);
            agent.close();
            LOG.info("ip-masq-agent stopped; rules left in place");
        }
        return 0;
    }

    /** The JVM's uptime at {@code instant}, from its start time (milliseconds, unlike a process's in /proc). */
    private static Duration jvmUptimeAt(java.time.Instant instant) {
        return Duration.between(java.time.Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()),
                instant);
    }

    /** The pass Main started before the boot, if any, with this daemon listening from now on. */
    private Optional<EarlyPass.Handover> takeOverEarlyPass() throws BackendException {
        Optional<EarlyPass> early = EarlyPass.claim();
        if (early.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(early.get().takeOver(this::afterPass));
    }

    private void afterPass(SyncOutcome outcome) {
        metrics.record(outcome, agent.status().get());
        if (!outcome.resyncInterval().equals(scheduledInterval)) {
            schedule(outcome.resyncInterval());
        }
    }

    private synchronized void schedule(Duration interval) {
        if (interval.equals(scheduledInterval)) {
            return;
        }
        Duration effective = interval.compareTo(SHORTEST_INTERVAL) < 0 ? SHORTEST_INTERVAL : interval;
        if (scheduledInterval != null) {
            scheduler.unscheduleJob(JOB);
            LOG.infof("resyncInterval is now %s", GoDuration.format(interval));
        }
        scheduler.newJob(JOB)
                .setInterval(effective.toString())
                // The first tick one interval from now: a pass has just run or been asked for.
                .setDelayed(effective.toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> agent.trigger())
                .schedule();
        scheduledInterval = interval;
    }
}
