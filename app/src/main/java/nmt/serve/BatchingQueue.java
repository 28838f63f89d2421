package nmt.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import nmt.decode.Hypothesis;

/**
 * Dynamic batching: sentences of concurrent requests wait here and one worker thread decodes them
 * together, up to {@code maxBatch} sentences of the same search settings, waiting at most
 * {@code maxDelayMs} after the oldest arrived for more to come. The queue holds at most
 * {@code capacity} sentences; beyond that a request is refused rather than kept in memory. A
 * request whose caller gave up (its future cancelled, e.g. on a timeout) leaves the queue at once.
 * And a request is refused at once when the queue (with the batch being decoded and the request
 * itself) already holds half the request timeout's work (its sentences times the decoding time
 * per sentence measured on full batches), or its oldest request has waited that long (as CoDel
 * drops packets once a queue's delay stays high): the queue's delay stays under the timeout, so
 * under overload the worker decodes answers that arrive in time, rather than answers that time
 * out just before they are ready. A request that alone needs more than the timeout is too large.
 */
final class BatchingQueue implements AutoCloseable {
    /** What the worker runs on a batch: the n best hypotheses per sentence, in order. */
    interface Decoder {
        List<List<Hypothesis>> decode(List<String> sentences, int beam, int nbest);
    }

    /** The queue had no room for a request's sentences, or could not answer it in time. */
    static final class FullException extends RuntimeException {
        private final long retryAfterSeconds;

        FullException(String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** When to try again, for the Retry-After header. */
        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** A batch as it was decoded, for the metrics. */
    interface Listener {
        void decoded(int sentences, int requests, long nanos);
    }

    private record Job(List<String> sentences, int beam, int nbest, long queuedAt,
                       CompletableFuture<List<List<Hypothesis>>> result) {
    }

    /** The share of the timeout a request may expect to wait in the queue; the rest is for its own batch and noise. */
    private static final double WAIT_SHARE = 0.5;
    /** How fast the measured decoding time per sentence follows the latest full batch. */
    private static final double SMOOTHING = 0.2;

    private final Decoder decoder;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int capacity;
    private final long timeoutNanos;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Job> jobs = new ArrayDeque<>();
    private final Thread worker;
    private int queued;
    /** Sentences of the batch being decoded. */
    private int decoding;
    /** Decoding time per sentence of full batches, smoothed; 0 until the first full batch. */
    private double nanosPerSentence;
    private boolean closing;

    /** Batches up to maxBatchSentences, waits maxDelayMs, holds maxQueueSentences, refuses by timeoutMs. */
    BatchingQueue(String name, Decoder decoder, ServeLimits limits, Listener listener) {
        this.decoder = decoder;
        this.maxBatch = limits.maxBatchSentences();
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(limits.maxDelayMs());
        this.capacity = limits.maxQueueSentences();
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.timeoutMs());
        this.listener = listener;
        worker = new Thread(this::work, "decode-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues the sentences; the future completes with their hypotheses, or fails with the decoder's error. */
    CompletableFuture<List<List<Hypothesis>>> submit(List<String> sentences, int beam, int nbest) {
        if (sentences.size() > capacity) {
            throw new ApiError(413, "the request has " + sentences.size() + " sentences; the translation queue holds "
                    + capacity + ": send at most " + capacity + " per request");
        }
        CompletableFuture<List<List<Hypothesis>>> result = new CompletableFuture<>();
        Job job = new Job(List.copyOf(sentences), beam, nbest, System.nanoTime(), result);
        lock.lock();
        try {
            if (closing) {
                throw new ApiError(503, "the server is shutting down");
            }
            if (queued + sentences.size() > capacity) {
                throw new FullException("the translation queue is full (" + queued + " sentences waiting); retry later",
                        1);
            }
            double own = sentences.size() * nanosPerSentence;
            if (own > timeoutNanos) {
                throw new ApiError(413, "the request has " + sentences.size() + " sentences, about "
                        + Math.round(own / 1e6) + " ms of decoding: more than --timeout-ms "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " allows; send fewer");
            }
            if (!jobs.isEmpty() || decoding > 0) {
                refuseIfLate(job);
            }
            jobs.add(job);
            queued += sentences.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        result.whenComplete((done, error) -> {
            if (result.isCancelled()) {
                withdraw(job);
            }
        });
        return result;
    }

    /** Refuses a job that would wait more than its share of the timeout behind those queued. */
    private void refuseIfLate(Job job) {
        long budget = (long) (WAIT_SHARE * timeoutNanos);
        long waited = jobs.isEmpty() ? 0 : job.queuedAt() - jobs.peekFirst().queuedAt();
        double work = (decoding + queued + job.sentences().size()) * nanosPerSentence;
        if (waited > budget || work > budget) {
            String why = waited > budget
                    ? "the oldest request in its queue has waited " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms"
                    : "its queue holds about " + Math.round(work / 1e6) + " ms of decoding (" + (decoding + queued)
                            + " sentences)";
            throw new FullException("the server is overloaded: " + why + ", more than "
                    + TimeUnit.NANOSECONDS.toMillis(budget) + " ms (half of --timeout-ms "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "); retry later", 1);
        }
    }

    /** Takes a job its caller gave up on out of the queue, if the worker has not taken it yet. */
    private void withdraw(Job job) {
        lock.lock();
        try {
            if (jobs.remove(job)) {
                queued -= job.sentences().size();
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sentences waiting, not yet taken into a batch. */
    int depth() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            List<Job> batch = next();
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    /** The next batch, once it is full or the oldest job has waited long enough; null once closed and drained. */
    private List<Job> next() {
        lock.lock();
        try {
            Job first = null;
            while (first == null) {
                while (jobs.isEmpty()) {
                    if (closing) {
                        return null;
                    }
                    changed.awaitUninterruptibly();
                }
                first = jobs.peekFirst();
                long deadline = System.nanoTime() + maxDelayNanos;
                while (!closing && waiting(first) < maxBatch) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        changed.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                // The jobs waited for may have been withdrawn meanwhile: batch what is there now.
                first = jobs.peekFirst();
            }
            List<Job> batch = new ArrayList<>();
            int sentences = 0;
            for (Iterator<Job> it = jobs.iterator(); it.hasNext(); ) {
                Job job = it.next();
                boolean fits = batch.isEmpty() || sentences + job.sentences().size() <= maxBatch;
                if (job.beam() == first.beam() && fits) {
                    it.remove();
                    batch.add(job);
                    sentences += job.sentences().size();
                }
                if (sentences >= maxBatch) {
                    break;
                }
            }
            queued -= sentences;
            decoding = sentences;
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Sentences waiting that could share a batch with {@code first}. */
    private int waiting(Job first) {
        int n = 0;
        for (Job job : jobs) {
            if (job.beam() == first.beam()) {
                n += job.sentences().size();
            }
        }
        return n;
    }

    private void run(List<Job> batch) {
        List<String> sentences = new ArrayList<>();
        int nbest = 1;
        for (Job job : batch) {
            sentences.addAll(job.sentences());
            nbest = Math.max(nbest, job.nbest());
        }
        long start = System.nanoTime();
        try {
            List<List<Hypothesis>> found = decoder.decode(sentences, batch.get(0).beam(), nbest);
            long nanos = System.nanoTime() - start;
            if (sentences.size() >= maxBatch) {
                measured(nanos / (double) sentences.size());
            }
            listener.decoded(sentences.size(), batch.size(), nanos);
            int from = 0;
            for (Job job : batch) {
                List<List<Hypothesis>> part = new ArrayList<>(job.sentences().size());
                for (List<Hypothesis> nbestList : found.subList(from, from + job.sentences().size())) {
                    part.add(nbestList.subList(0, Math.min(job.nbest(), nbestList.size())));
                }
                from += job.sentences().size();
                job.result().complete(part);
            }
        } catch (RuntimeException | Error e) {
            for (Job job : batch) {
                job.result().completeExceptionally(e);
            }
        } finally {
            lock.lock();
            try {
                decoding = 0;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A full batch's decoding time per sentence: smaller batches cost more a sentence, and only matter unloaded. */
    private void measured(double nanos) {
        lock.lock();
        try {
            nanosPerSentence = nanosPerSentence == 0 ? nanos : (1 - SMOOTHING) * nanosPerSentence + SMOOTHING * nanos;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new work, decodes what is queued, and waits for the worker to finish. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
