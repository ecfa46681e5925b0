package org.ipmasq.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyncLoopTest {

    private static SyncOutcome ok() {
        return new SyncOutcome(true, SyncReport.UNCHANGED, Duration.ofSeconds(60), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Duration.ZERO);
    }

    private static SyncOutcome failed() {
        return new SyncOutcome(false, SyncReport.UNCHANGED, Duration.ofSeconds(60), Optional.empty(),
                Optional.of("iptables-restore exited 1"), Optional.empty(), false, Duration.ZERO);
    }

    @Test
    void passesNeverOverlapAndABurstCollapses() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        try (SyncLoop loop = new SyncLoop(() -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            firstStarted.countDown();
            sleep(200);
            passes.incrementAndGet();
            running.decrementAndGet();
            return ok();
        }, outcome -> { })) {
            loop.trigger();
            assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
            // 100 triggers while the first pass runs: they collapse into exactly one more pass.
            for (int i = 0; i < 100; i++) {
                loop.trigger();
            }
            Thread.sleep(700);
        }
        assertEquals(1, maxRunning.get());
        assertEquals(2, passes.get());
    }

    @Test
    void aFailedPassIsRetriedWithGrowingBackoffUntilItSucceeds() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        List<Long> startTimes = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch succeeded = new CountDownLatch(1);
        try (SyncLoop loop = new SyncLoop(() -> {
            startTimes.add(System.nanoTime());
            return attempts.incrementAndGet() < 4 ? failed() : ok();
        }, outcome -> {
            if (outcome.applied()) {
                succeeded.countDown();
            }
        })) {
            loop.trigger();
            assertTrue(succeeded.await(10, TimeUnit.SECONDS), "retries stopped after " + attempts.get());
        }
        assertEquals(4, attempts.get());
        // Backoff 500 ms, 1 s, 2 s: each gap at least the one before.
        long gap1 = startTimes.get(1) - startTimes.get(0);
        long gap2 = startTimes.get(2) - startTimes.get(1);
        long gap3 = startTimes.get(3) - startTimes.get(2);
        assertTrue(gap1 >= TimeUnit.MILLISECONDS.toNanos(450), "first retry after " + gap1 / 1_000_000 + " ms");
        assertTrue(gap2 >= TimeUnit.MILLISECONDS.toNanos(950), "second retry after " + gap2 / 1_000_000 + " ms");
        assertTrue(gap3 >= TimeUnit.MILLISECONDS.toNanos(1950), "third retry after " + gap3 / 1_000_000 + " ms");
    }

    @Test
    void triggersAfterCloseAreIgnored() {
        AtomicInteger passes = new AtomicInteger();
        SyncLoop loop = new SyncLoop(() -> {
            passes.incrementAndGet();
            return ok();
        }, outcome -> { });
        loop.close();
        loop.trigger();
        assertEquals(0, passes.get());
    }

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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
