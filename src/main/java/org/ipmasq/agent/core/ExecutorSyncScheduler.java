package org.ipmasq.agent.core;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The real {@link SyncScheduler}: {@link System#nanoTime()} and one daemon thread. */
public final class ExecutorSyncScheduler implements SyncScheduler {

    private final ScheduledThreadPoolExecutor worker;
    private final Duration grace;

    /** @param grace how long close() lets a task in progress finish before interrupting it */
    public ExecutorSyncScheduler(String threadName, Duration grace) {
        this.grace = grace;
        this.worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        // A retry or a gap-delayed pass still waiting when the agent stops must not run: by
        // default the executor would run it after shutdown(), and close() would wait for it
        // (up to 30 s of backoff; this made SIGTERM take 10 s while syncs were failing).
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        try {
            worker.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    /** Stops taking tasks, drops waiting ones, and gives a task in progress {@code grace} before interrupting it. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
