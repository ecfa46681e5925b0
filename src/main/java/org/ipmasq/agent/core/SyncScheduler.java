package org.ipmasq.agent.core;

import java.time.Duration;

/**
 * The clock and the single thread a {@link SyncLoop} runs on. Behind an interface so that the
 * loop's timing (the gap between passes, the retry backoff) is tested by moving a clock rather
 * than by sleeping; the agent uses {@link ExecutorSyncScheduler}.
 */
public interface SyncScheduler extends AutoCloseable {

    /** A monotonic time in nanoseconds, comparable only with other readings of this scheduler. */
    long nanoTime();

    /**
     * Runs {@code task} after {@code delay}, after every task due earlier and never beside another
     * task of this scheduler. Does nothing once closed: a trigger that races with shutdown is
     * the intended end, not an error.
     */
    void schedule(Runnable task, Duration delay);

    /** Runs no more tasks; lets a task in progress finish for a short while. */
    @Override
    void close();
}
