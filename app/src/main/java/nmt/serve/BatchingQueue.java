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
 * request whose caller gave up (its future cancelled, e.g. on a timeout) leaves the queue at once:
 * under overload the worker decodes only answers someone waits for.
 */
final class BatchingQueue implements AutoCloseable {
    /** What the worker runs on a batch: the n best hypotheses per sentence, in order. */
    interface Decoder {
        List<List<Hypothesis>> decode(List<String> sentences, int beam, int nbest);
    }

    /** The queue had no room for a request's sentences. */
    static final class FullException extends RuntimeException {
        FullException(String message) {
            super(message);
        }
    }

    /** A batch as it was decoded, for the metrics. */
    interface Listener {
        void decoded(int sentences, int requests, long nanos);
    }

    private record Job(List<String> sentences, int beam, int nbest, CompletableFuture<List<List<Hypothesis>>> result) {
    }

    private final Decoder decoder;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int capacity;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Job> jobs = new ArrayDeque<>();
    private final Thread worker;
    private int queued;
    private boolean closing;

    BatchingQueue(String name, Decoder decoder, int maxBatch, long maxDelayMs, int capacity, Listener listener) {
        this.decoder = decoder;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        this.capacity = capacity;
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
        Job job = new Job(List.copyOf(sentences), beam, nbest, result);
        lock.lock();
        try {
            if (closing) {
                throw new ApiError(503, "the server is shutting down");
            }
            if (queued + sentences.size() > capacity) {
                throw new FullException("the translation queue is full (" + queued + " sentences waiting); retry later");
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
            listener.decoded(sentences.size(), batch.size(), System.nanoTime() - start);
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
