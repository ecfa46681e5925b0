package org.ipmasq.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The loop's timing, driven by a {@link ManualScheduler}: exact, and no real time passes. */
class SyncLoopTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    /** When each pass started, in scheduler milliseconds. */
    private final List<Long> passStarts = new ArrayList<>();

    private static SyncOutcome ok() {
        return new SyncOutcome(true, SyncReport.UNCHANGED, Duration.ofSeconds(60), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Duration.ZERO);
    }

    private static SyncOutcome failed() {
        return new SyncOutcome(false, SyncReport.UNCHANGED, Duration.ofSeconds(60), Optional.empty(),
                Optional.of("iptables-restore exited 1"), Optional.empty(), false, Duration.ZERO);
    }

    /** A loop whose pass records its start and answers what {@code outcome} says. */
    private SyncLoop loop(Runnable duringPass, BooleanSupplier succeeds) {
        return new SyncLoop(() -> {
            passStarts.add(TimeUnit.NANOSECONDS.toMillis(scheduler.nanoTime()));
            duringPass.run();
            return succeeds.getAsBoolean() ? ok() : failed();
        }, outcome -> { }, scheduler);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void anIsolatedTriggerRunsAtOnce() {
        SyncLoop loop = loop(() -> { }, () -> true);
        loop.trigger();
        scheduler.runDue();
        assertEquals(List.of(0L), passStarts);
        scheduler.advance(Duration.ofSeconds(10));
        loop.trigger();
        scheduler.runDue();
        assertEquals(List.of(0L, 10_000L), passStarts, "a trigger long after the last pass waits for nothing");
    }

    @Test
    void triggersQueuedBeforeAPassStartsCollapseIntoIt() {
        SyncLoop loop = loop(() -> { }, () -> true);
        for (int i = 0; i < 100; i++) {
            loop.trigger();
        }
        assertEquals(1, scheduler.waiting());
        scheduler.advance(Duration.ofHours(1));
        assertEquals(List.of(0L), passStarts);
    }

    @Test
    void aBurstDuringAPassBecomesOneMorePassAfterTheMinimumGap() {
        AtomicBoolean first = new AtomicBoolean(true);
        SyncLoop[] self = new SyncLoop[1];
        self[0] = loop(() -> {
            if (first.getAndSet(false)) {
                for (int i = 0; i < 100; i++) {
                    self[0].trigger(); // ConfigMap edits arriving while the first pass writes
                }
            }
        }, () -> true);
        self[0].trigger();
        scheduler.runDue();
        scheduler.advance(SyncLoop.MIN_GAP.minusMillis(1));
        assertEquals(List.of(0L), passStarts, "the second pass may not start inside the gap");
        scheduler.advance(ms(1));
        assertEquals(List.of(0L, SyncLoop.MIN_GAP.toMillis()), passStarts);
        scheduler.advance(Duration.ofHours(1));
        assertEquals(2, passStarts.size(), "a hundred triggers made exactly one more pass");
    }

    @Test
    void aFailedPassIsRetriedWithDoublingBackoffCappedAtMaxRetry() {
        loop(() -> { }, () -> false).trigger();
        scheduler.advance(Duration.ofMinutes(3));
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < passStarts.size(); i++) {
            gaps.add(passStarts.get(i) - passStarts.get(i - 1));
        }
        assertEquals(List.of(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L, 30_000L),
                gaps.subList(0, 10));
        assertTrue(gaps.stream().allMatch(gap -> gap <= SyncLoop.MAX_RETRY.toMillis()), gaps.toString());
    }

    @Test
    void aSuccessEndsTheRetriesAndResetsTheBackoff() {
        AtomicInteger attempt = new AtomicInteger();
        // attempts 1-3 fail, 4 succeeds, 5 fails, 6 succeeds
        SyncLoop loop = loop(() -> { }, () -> {
            int n = attempt.incrementAndGet();
            return n == 4 || n == 6;
        });
        loop.trigger();
        scheduler.advance(Duration.ofMinutes(5));
        assertEquals(List.of(0L, 500L, 1_500L, 3_500L), passStarts, "no retry after the success");
        loop.trigger();
        scheduler.advance(Duration.ofMinutes(5));
        long failedAt = passStarts.get(4);
        assertEquals(List.of(0L, 500L, 1_500L, 3_500L, failedAt, failedAt + 500), passStarts,
                "the backoff starts again at " + SyncLoop.FIRST_RETRY);
    }

    @Test
    void aTriggerDuringTheBackoffWaitsOnlyForTheGap() {
        SyncLoop loop = loop(() -> { }, () -> passStarts.size() > 1);
        loop.trigger();
        scheduler.runDue();
        scheduler.advance(ms(10));
        loop.trigger(); // a config change 10 ms after the failure
        scheduler.advance(ms(90));
        assertEquals(List.of(0L, SyncLoop.MIN_GAP.toMillis()), passStarts,
                "the change is applied after the gap, not after the " + SyncLoop.FIRST_RETRY + " retry");
    }

    @Test
    void triggersAfterCloseAreIgnored() {
        SyncLoop loop = loop(() -> { }, () -> false);
        loop.trigger();
        scheduler.runDue();
        assertEquals(1, scheduler.waiting(), "a retry is pending");
        loop.close();
        loop.trigger();
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(1, passStarts.size(), "neither the pending retry nor the late trigger ran");
    }

    /** The real scheduler: one thread, so two passes can never overlap. */
    @Test
    void theAgentsSchedulerRunsOneTaskAtATime() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        AtomicBoolean firstRunning = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        try (ExecutorSyncScheduler real = new ExecutorSyncScheduler("test-sync", SyncLoop.PASS_GRACE)) {
            real.schedule(() -> {
                firstRunning.set(true);
                firstStarted.countDown();
                await(releaseFirst);
                firstRunning.set(false);
            }, Duration.ZERO);
            assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
            real.schedule(() -> {
                overlapped.set(firstRunning.get());
                secondDone.countDown();
            }, Duration.ZERO);
            assertEquals(1, secondDone.getCount(), "the second task started while the first held the thread");
            releaseFirst.countDown();
            assertTrue(secondDone.await(5, TimeUnit.SECONDS));
        }
        assertFalse(overlapped.get());
    }

    /** The agent's scheduler at shutdown (real time: what is tested is the executor's own behaviour). */
    @Test
    void closeDropsAWaitingRetryInsteadOfWaitingForIt() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch failedOnce = new CountDownLatch(1);
        SyncLoop loop = new SyncLoop(() -> {
            attempts.incrementAndGet();
            return failed();
        }, outcome -> failedOnce.countDown());
        loop.trigger();
        assertTrue(failedOnce.await(5, TimeUnit.SECONDS));
        // A retry is now due in FIRST_RETRY (500 ms); close must neither run it nor wait for it.
        long start = System.nanoTime();
        loop.close();
        long closeMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(closeMillis < SyncLoop.FIRST_RETRY.toMillis() - 100, "close took " + closeMillis + " ms");
        Thread.sleep(SyncLoop.FIRST_RETRY.toMillis() + 300);
        assertEquals(1, attempts.get(), "the retry ran after close");
    }

    @Test
    void closeInterruptsAPassThatOutlivesTheGrace() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        SyncLoop loop = new SyncLoop(() -> {
            started.countDown();
            try {
                Thread.sleep(30_000); // a pass stuck behind someone else's xtables lock
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
            }
            return failed();
        }, outcome -> { });
        loop.trigger();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        loop.close();
        long closeMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(closeMillis >= SyncLoop.PASS_GRACE.toMillis() - 20, "close gave up after " + closeMillis + " ms");
        assertTrue(closeMillis < SyncLoop.PASS_GRACE.toMillis() + 500, "close took " + closeMillis + " ms");
        eventually(() -> interrupted.get() == 1);
    }

    /** Polls briefly for something another thread does. */
    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 5 s");
            Thread.sleep(10);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
