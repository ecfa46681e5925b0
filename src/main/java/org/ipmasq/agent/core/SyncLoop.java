package org.ipmasq.agent.core;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs sync passes one at a time on a thread of its own. Triggers (timer ticks, config changes,
 * retries) that arrive while a pass is queued collapse into that pass, which reads the config
 * when it starts and so always uses the latest one. A failed pass is retried with capped
 * exponential backoff, independent of the resync interval.
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
    private final ScheduledThreadPoolExecutor worker;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final Duration minGap;
    private volatile long lastPassStart = Long.MIN_VALUE;
    private Duration nextRetry = FIRST_RETRY;

    /** {@code pass} is normally {@link SyncEngine#runOnce}; {@code listener} hears every outcome. */
    public SyncLoop(Supplier<SyncOutcome> pass, Consumer<SyncOutcome> listener) {
        this(pass, listener, MIN_GAP);
    }

    public SyncLoop(Supplier<SyncOutcome> pass, Consumer<SyncOutcome> listener, Duration minGap) {
        this.pass = pass;
        this.minGap = minGap;
        this.listener = listener;
        this.worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "ip-masq-sync");
            thread.setDaemon(true);
            return thread;
        });
        // A retry or a gap-delayed pass still waiting when the agent stops must not run: by
        // default the executor would run it after shutdown(), and close() would wait for it
        // (up to 30 s of backoff; this made SIGTERM take 10 s while syncs were failing).
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Asks for a pass soon; does nothing when one is already waiting to start. */
    public void trigger() {
        if (queued.compareAndSet(false, true)) {
            long sinceLast = System.nanoTime() - lastPassStart;
            long wait = lastPassStart == Long.MIN_VALUE ? 0 : Math.max(0, minGap.toNanos() - sinceLast);
            submit(() -> worker.schedule(this::runPass, wait, TimeUnit.NANOSECONDS));
        }
    }

    private void runPass() {
        queued.set(false);
        lastPassStart = System.nanoTime();
        SyncOutcome outcome = pass.get();
        if (outcome.syncError().isPresent()) {
            submit(() -> worker.schedule(this::trigger, nextRetry.toMillis(), TimeUnit.MILLISECONDS));
            Duration doubled = nextRetry.multipliedBy(2);
            nextRetry = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
        } else {
            nextRetry = FIRST_RETRY;
        }
        listener.accept(outcome);
    }

    /** After close() the worker refuses new work; that is the intended end, not an error. */
    private static void submit(Runnable submission) {
        try {
            submission.run();
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    /**
     * Stops taking triggers, drops waiting retries and lets a pass in progress finish for at
     * most {@link #PASS_GRACE}; the rules stay in place.
     */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(PASS_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
