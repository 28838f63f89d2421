package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nmt.decode.Hypothesis;
import org.junit.jupiter.api.Test;

class BatchingQueueTest {
    /** A decoder that "translates" a sentence into its length and records each batch. */
    private static final class Recording implements BatchingQueue.Decoder {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch release;

        Recording(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public List<List<Hypothesis>> decode(List<String> sentences, int beam, int nbest) {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            batches.add(sentences);
            List<List<Hypothesis>> out = new ArrayList<>();
            for (String s : sentences) {
                List<Hypothesis> nbestList = new ArrayList<>();
                for (int k = 0; k < nbest; k++) {
                    nbestList.add(new Hypothesis(new int[] {s.length(), beam, k}, new float[0][], -k));
                }
                out.add(nbestList);
            }
            return out;
        }
    }

    private static final BatchingQueue.Listener NONE = (sentences, requests, nanos) -> { };

    private static ServeLimits limits(int maxBatch, int maxDelayMs, int capacity) {
        return ServeLimits.builder().maxBatchSentences(maxBatch).maxDelayMs(maxDelayMs).maxQueueSentences(capacity)
                .build();
    }

    /** Submits "a" and waits until the worker has taken it, so that the whole queue is free. */
    private static CompletableFuture<List<List<Hypothesis>>> busy(BatchingQueue queue) throws InterruptedException {
        CompletableFuture<List<List<Hypothesis>>> first = queue.submit(List.of("a"), 1, 1);
        while (queue.depth() > 0) {
            Thread.sleep(1);
        }
        return first;
    }

    @Test
    void requestsThatArriveTogetherShareBatchesAndGetTheirOwnResults() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording decoder = new Recording(release);
        List<CompletableFuture<List<List<Hypothesis>>>> results = new ArrayList<>();
        try (BatchingQueue queue = new BatchingQueue("t", decoder, limits(4, 200, 100), NONE)) {
            for (int i = 1; i <= 10; i++) {
                results.add(queue.submit(List.of("x".repeat(i)), 1, 1));
            }
            release.countDown();
            for (int i = 1; i <= 10; i++) {
                List<List<Hypothesis>> r = results.get(i - 1).get(10, TimeUnit.SECONDS);
                assertEquals(1, r.size());
                assertEquals(i, r.get(0).get(0).ids()[0], "request " + i + " gets its own sentence back");
            }
        }
        // The first batch may start before all ten arrived; every batch holds at most four sentences.
        assertEquals(10, decoder.batches.stream().mapToInt(List::size).sum());
        assertTrue(decoder.batches.stream().allMatch(b -> b.size() <= 4), decoder.batches.toString());
        assertTrue(decoder.batches.size() <= 4, "ten sentences in at most 4 batches: " + decoder.batches);
    }

    @Test
    void aBatchWaitsAtMostTheDelayForMore() throws Exception {
        Recording decoder = new Recording(new CountDownLatch(0));
        try (BatchingQueue queue = new BatchingQueue("t", decoder, limits(64, 20, 100), NONE)) {
            long start = System.nanoTime();
            queue.submit(List.of("a", "bb"), 1, 1).get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20), "waited for the delay");
        }
        assertEquals(List.of(List.of("a", "bb")), decoder.batches);
    }

    @Test
    void aFullBatchDoesNotWaitForTheDelay() throws Exception {
        Recording decoder = new Recording(new CountDownLatch(0));
        try (BatchingQueue queue = new BatchingQueue("t", decoder, limits(2, 60_000, 100), NONE)) {
            List<List<Hypothesis>> r = queue.submit(List.of("a", "bb"), 1, 1).get(10, TimeUnit.SECONDS);
            assertEquals(2, r.get(1).get(0).ids()[0]);
        }
    }

    @Test
    void differentBeamsAreNotMixedAndNbestIsCutPerRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording decoder = new Recording(release);
        try (BatchingQueue queue = new BatchingQueue("t", decoder, limits(8, 50, 100), NONE)) {
            CompletableFuture<List<List<Hypothesis>>> one = queue.submit(List.of("a"), 1, 1);
            CompletableFuture<List<List<Hypothesis>>> five = queue.submit(List.of("bb"), 5, 3);
            CompletableFuture<List<List<Hypothesis>>> fiveOne = queue.submit(List.of("ccc"), 5, 1);
            release.countDown();
            assertEquals(1, one.get(10, TimeUnit.SECONDS).get(0).size());
            assertEquals(5, five.get(10, TimeUnit.SECONDS).get(0).get(0).ids()[1], "decoded with beam 5");
            assertEquals(3, five.get(10, TimeUnit.SECONDS).get(0).size());
            assertEquals(1, fiveOne.get(10, TimeUnit.SECONDS).get(0).size());
        }
        for (List<String> batch : decoder.batches) {
            assertTrue(!batch.contains("a") || batch.size() == 1, "beam 1 and beam 5 decoded apart: " + decoder.batches);
        }
    }

    @Test
    void aFullQueueRefusesAndTheDecoderErrorReachesTheRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording decoder = new Recording(release);
        try (BatchingQueue queue = new BatchingQueue("t", decoder, limits(1, 0, 3), NONE)) {
            // The worker holds "a"; the queue has room for three more sentences, not four.
            CompletableFuture<List<List<Hypothesis>>> first = busy(queue);
            queue.submit(List.of("b", "c", "d"), 1, 1);
            assertThrows(BatchingQueue.FullException.class, () -> queue.submit(List.of("e"), 1, 1));
            release.countDown();
            assertEquals(1, first.get(10, TimeUnit.SECONDS).size());
        }
        BatchingQueue.Decoder failing = (sentences, beam, nbest) -> {
            throw new IllegalStateException("native error");
        };
        try (BatchingQueue queue = new BatchingQueue("t", failing, limits(4, 0, 10), NONE)) {
            CompletableFuture<List<List<Hypothesis>>> r = queue.submit(List.of("a"), 1, 1);
            Exception e = assertThrows(Exception.class, () -> r.get(10, TimeUnit.SECONDS));
            assertEquals("native error", e.getCause().getMessage());
            assertEquals(1, queue.submit(List.of("b"), 1, 1).handle((ok, err) -> 1).get(10, TimeUnit.SECONDS),
                    "the worker goes on after a failed batch");
        }
    }

    @Test
    void aRequestGivenUpOnLeavesTheQueueUndecodedAndFreesItsRoom() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording decoder = new Recording(release);
        try (BatchingQueue queue = new BatchingQueue("t", decoder, limits(1, 0, 3), NONE)) {
            CompletableFuture<List<List<Hypothesis>>> first = busy(queue);
            CompletableFuture<List<List<Hypothesis>>> abandoned = queue.submit(List.of("b", "c"), 1, 1);
            assertEquals(2, queue.depth());
            abandoned.cancel(false);
            assertEquals(0, queue.depth(), "the cancelled request no longer holds room");
            CompletableFuture<List<List<Hypothesis>>> later = queue.submit(List.of("d", "e", "f"), 1, 1);
            release.countDown();
            assertEquals(3, later.get(10, TimeUnit.SECONDS).size());
            assertEquals(1, first.get(10, TimeUnit.SECONDS).size());
        }
        assertTrue(decoder.batches.stream().noneMatch(batch -> batch.contains("b") || batch.contains("c")),
                "nothing of the cancelled request was decoded: " + decoder.batches);
    }

    @Test
    void aRequestLargerThanTheQueueIsTooLargeNotRetryLater() {
        try (BatchingQueue queue = new BatchingQueue("t", new Recording(new CountDownLatch(0)), limits(4, 0, 3), NONE)) {
            ApiError e = assertThrows(ApiError.class, () -> queue.submit(List.of("a", "b", "c", "d"), 1, 1));
            assertEquals(413, e.status());
            assertEquals("the request has 4 sentences; the translation queue holds 3: send at most 3 per request",
                    e.getMessage());
        }
    }

    @Test
    void whileTheOldestRequestHasWaitedHalfTheTimeoutNewOnesAreRefusedAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording decoder = new Recording(release);
        ServeLimits limits = ServeLimits.builder().maxBatchSentences(1).maxDelayMs(0).maxQueueSentences(100)
                .timeoutMs(400).build();
        try (BatchingQueue queue = new BatchingQueue("t", decoder, limits, NONE)) {
            CompletableFuture<List<List<Hypothesis>>> first = busy(queue);
            CompletableFuture<List<List<Hypothesis>>> waiting = queue.submit(List.of("b"), 1, 1);
            queue.submit(List.of("c"), 1, 1);
            Thread.sleep(250);
            BatchingQueue.FullException e = assertThrows(BatchingQueue.FullException.class,
                    () -> queue.submit(List.of("d"), 1, 1));
            assertTrue(e.getMessage().matches("the server is overloaded: the oldest request in its queue has waited "
                    + "\\d+ ms, more than 200 ms \\(half of --timeout-ms 400\\); retry later"), e.getMessage());
            assertEquals(1, e.retryAfterSeconds());
            release.countDown();
            assertEquals(1, first.get(10, TimeUnit.SECONDS).size());
            assertEquals(1, waiting.get(10, TimeUnit.SECONDS).size());
            while (queue.depth() > 0) {
                Thread.sleep(1);
            }
            assertEquals(1, queue.submit(List.of("e"), 1, 1).get(10, TimeUnit.SECONDS).size(),
                    "once the queue has caught up, requests are taken again");
        }
    }

    @Test
    void aRequestBehindMoreThanHalfTheTimeoutsWorkIsRefusedAtOnce() throws Exception {
        // A full first batch measures at least 10 ms a sentence; then the worker holds one sentence.
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        BatchingQueue.Decoder decoder = (sentences, beam, nbest) -> {
            try {
                if (calls.getAndIncrement() == 0) {
                    Thread.sleep(10L * sentences.size());
                } else {
                    release.await();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return sentences.stream().map(t -> List.<Hypothesis>of()).toList();
        };
        ServeLimits limits = ServeLimits.builder().maxBatchSentences(4).maxDelayMs(0).maxQueueSentences(1000)
                .timeoutMs(1000).build();
        try (BatchingQueue queue = new BatchingQueue("t", decoder, limits, NONE)) {
            assertEquals(4, queue.submit(Collections.nCopies(4, "a"), 1, 1).get(10, TimeUnit.SECONDS).size());
            CompletableFuture<List<List<Hypothesis>>> held = busy(queue);
            // 1 + 8 sentences at 10 ms or more: within half the timeout, 500 ms.
            CompletableFuture<List<List<Hypothesis>>> ahead = queue.submit(Collections.nCopies(8, "b"), 1, 1);
            BatchingQueue.FullException e = assertThrows(BatchingQueue.FullException.class,
                    () -> queue.submit(Collections.nCopies(50, "c"), 1, 1));
            assertTrue(e.getMessage().matches("the server is overloaded: its queue holds about \\d+ ms of decoding "
                    + "\\(9 sentences\\), more than 500 ms \\(half of --timeout-ms 1000\\); retry later"),
                    e.getMessage());
            ApiError tooLarge = assertThrows(ApiError.class, () -> queue.submit(Collections.nCopies(101, "d"), 1, 1));
            assertEquals(413, tooLarge.status());
            assertTrue(tooLarge.getMessage().matches("the request has 101 sentences, about \\d+ ms of decoding: more "
                    + "than --timeout-ms 1000 allows; send fewer"), tooLarge.getMessage());
            release.countDown();
            assertEquals(1, held.get(10, TimeUnit.SECONDS).size());
            assertEquals(8, ahead.get(10, TimeUnit.SECONDS).size());
        }
    }

    @Test
    void closingFinishesWhatIsQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording decoder = new Recording(release);
        BatchingQueue queue = new BatchingQueue("t", decoder, limits(2, 0, 100), NONE);
        List<CompletableFuture<List<List<Hypothesis>>>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(queue.submit(List.of("s" + i), 1, 1));
        }
        Thread closer = new Thread(queue::close);
        closer.start();
        release.countDown();
        closer.join(10_000);
        for (CompletableFuture<List<List<Hypothesis>>> r : results) {
            assertTrue(r.isDone() && !r.isCompletedExceptionally());
        }
        assertEquals(503, assertThrows(ApiError.class, () -> queue.submit(List.of("late"), 1, 1)).status());
    }
}
