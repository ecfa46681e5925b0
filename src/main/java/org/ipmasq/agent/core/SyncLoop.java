package org.ipmasq.agent.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs sync passes one at a time on the thread of its {@link SyncScheduler}. Triggers (timer
 * ticks, config changes, retries) that arrive while a pass is queued collapse into that pass,
 * which reads the config when it starts and so always uses the latest one. A failed pass is
 * retried with capped exponential backoff, independent of the resync interval.
 */
public final class SyncLoop implements AutoCloseable {

    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    /**
     * The least time between the starts of two passes. An isolated trigger runs at once; a burst
     * (a hundred ConfigMap edits in a second) becomes a pass every MIN_GAP with the latest
     * document, instead of a hundred writes. The same idea as kube-proxy's minSyncPeriod.
     */
    public static final Duration MIN_GAP = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /**
     * How long close() lets a pass in progress finish. A pass takes milliseconds; one that is
     * still running after this is waiting on something (the xtables lock, a hung HNS call) and is
     * interrupted, which kills its iptables-restore before the commit: the kernel keeps the rules
     * it had, since the commit is all or nothing. Short, because a DaemonSet rollout or a node
     * drain waits for every agent to exit.
     */
    static final Duration PASS_GRACE = Duration.ofMillis(300);

    private final Supplier<SyncOutcome> pass;
    private final Consumer<SyncOutcome> listener;
    private final SyncScheduler scheduler;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile boolean passedOnce;
    private volatile long lastPassStart;
    private Duration nextRetry = FIRST_RETRY;

    /** {@code pass} is normally {@link SyncEngine#runOnce}; {@code listener} hears every outcome. */
    public SyncLoop(Supplier<SyncOutcome> pass, Consumer<SyncOutcome> listener) {
        this(pass, listener, new ExecutorSyncScheduler("ip-masq-sync", PASS_GRACE));
    }

    /** The loop owns {@code scheduler} from here on and closes it. */
    public SyncLoop(Supplier<SyncOutcome> pass, Consumer<SyncOutcome> listener, SyncScheduler scheduler) {
        this.pass = pass;
        this.listener = listener;
        this.scheduler = scheduler;
    }

    /** Asks for a pass soon; does nothing when one is already waiting to start. */
    public void trigger() {
        if (queued.compareAndSet(false, true)) {
            long wait = passedOnce ? Math.max(0, MIN_GAP.toNanos() - (scheduler.nanoTime() - lastPassStart)) : 0;
            scheduler.schedule(this::runPass, Duration.ofNanos(wait));
        }
    }

    private void runPass() {
        queued.set(false);
        lastPassStart = scheduler.nanoTime();
        passedOnce = true;
        SyncOutcome outcome = pass.get();
        if (outcome.syncError().isPresent()) {
            scheduler.schedule(this::trigger, nextRetry);
            Duration doubled = nextRetry.multipliedBy(2);
            nextRetry = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
        } else {
            nextRetry = FIRST_RETRY;
        }
        listener.accept(outcome);
    }

    /**
     * Stops taking triggers, drops waiting retries and lets a pass in progress finish for a short
     * grace ({@link #PASS_GRACE} with the agent's scheduler); the rules stay in place.
     */
    @Override
    public void close() {
        scheduler.close();
    }
}
