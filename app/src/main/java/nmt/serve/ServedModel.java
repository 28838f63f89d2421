package nmt.serve;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import nmt.config.Config;
import nmt.decode.Hypothesis;
import nmt.decode.Translated;
import nmt.decode.Translator;
import nmt.modeldir.TranslationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model (or ensemble) and its language pair, decoding through its own
 * {@link BatchingQueue} with the same {@link Translator} search that {@code nmt translate} runs.
 */
final class ServedModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServedModel.class);

    private final TranslationModel model;
    private final Config config;
    private final String pair;
    private final Translator translator;
    private final Map<Integer, Translator> translators = new ConcurrentHashMap<>();
    private final BatchingQueue queue;

    ServedModel(TranslationModel model, ServeLimits limits, ServerMetrics metrics) {
        this.model = model;
        this.config = model.config();
        this.translator = Translator.of(model);
        this.pair = source() + "-" + target();
        this.queue = new BatchingQueue(pair, this::decode, limits,
                (sentences, requests, nanos) -> metrics.batch(pair, sentences, nanos));
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
        return translators.computeIfAbsent(beam, translator::withBeam);
    }

    private List<List<Hypothesis>> decode(List<String> sentences, int beam, int nbest) {
        List<Translated> results = translator(beam).search(sentences, nbest);
        for (Translated result : results) {
            if (result.truncated()) {
                LOG.warn("a sentence to translate {} has {} tokens; only the first {} are translated", pair,
                        result.sourceTokens(), result.readTokens());
            }
        }
        return results.stream().map(Translated::nbest).toList();
    }

    /** Finishes the queued work, then frees the model. */
    @Override
    public void close() {
        queue.close();
        model.close();
    }
}
