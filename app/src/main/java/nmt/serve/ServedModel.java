package nmt.serve;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import nmt.config.Config;
import nmt.decode.Hypothesis;
import nmt.decode.Translator;
import nmt.model.TrainedModel;

/**
 * One loaded model and its language pair, decoding through its own {@link BatchingQueue} with the
 * same {@link Translator} search that {@code nmt translate} runs.
 */
final class ServedModel implements AutoCloseable {
    private final TrainedModel model;
    private final Config config;
    private final Map<Integer, Translator> translators = new ConcurrentHashMap<>();
    private final BatchingQueue queue;

    ServedModel(TrainedModel model, ServeLimits limits, ServerMetrics metrics) {
        this.model = model;
        this.config = model.config();
        String pair = source() + "-" + target();
        this.queue = new BatchingQueue(pair, this::decode, limits.maxBatchSentences(), limits.maxDelayMs(),
                limits.maxQueueSentences(), (sentences, requests, nanos) -> metrics.batch(pair, sentences, nanos));
        metrics.queueDepth(pair, queue::depth);
    }

    String source() {
        return config.data().src();
    }

    String target() {
        return config.data().trg();
    }

    /** The beam size used when a request names none. */
    int defaultBeam() {
        return config.decoding().beamSize();
    }

    CompletableFuture<List<List<Hypothesis>>> translate(List<String> sentences, int beam, int nbest) {
        return queue.submit(sentences, beam, nbest);
    }

    /** The translator for a beam size, as {@code nmt translate --beam K} would build it. */
    Translator translator(int beam) {
        return translators.computeIfAbsent(beam, k -> new Translator(model.block(), model.languages(),
                config.decoding().withBeamSize(k), config.data().maxLength()));
    }

    private List<List<Hypothesis>> decode(List<String> sentences, int beam, int nbest) {
        return translator(beam).search(sentences, 1, model.manager(), model.parameterStore(), nbest);
    }

    /** Finishes the queued work, then frees the model. */
    @Override
    public void close() {
        queue.close();
        model.close();
    }
}
