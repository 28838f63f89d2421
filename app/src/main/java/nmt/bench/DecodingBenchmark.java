package nmt.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nmt.config.DecodingConfig;
import nmt.data.Batch;
import nmt.data.Example;
import nmt.decode.Constraints;
import nmt.decode.Hypothesis;
import nmt.decode.Search;
import nmt.decode.SearchOptions;
import nmt.model.Inputs;
import nmt.model.Seq2Seq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoding speed and memory of one model: dev sentences with greedy search, beam 5 and, for the
 * Transformer, greedy search without the key/value cache; then one batch forced to exactly L output
 * tokens in every mode (beam 5 without the cache too). Each mode runs once before it is timed, and
 * each measurement reports the peak RSS while it ran.
 */
final class DecodingBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(DecodingBenchmark.class);
    private static final int BEAM = 5;
    /** Output length of the untimed run that warms a mode up for the forced-length table. */
    private static final int WARMUP_LENGTH = 5;

    /** A search to measure: a model (with or without the cache) and a beam size (1: greedy). */
    private record Mode(String name, Seq2Seq model, int beam) {
    }

    private final DecodingConfig decoding;
    private final NDManager parent;
    private final ParameterStore ps;
    private final List<Mode> modes = new ArrayList<>();
    private boolean latency;

    /** @param uncached the same Transformer without the key/value cache, or null for a model without one */
    DecodingBenchmark(DecodingConfig decoding, NDManager parent, Seq2Seq model, Seq2Seq uncached) {
        this.decoding = decoding;
        this.parent = parent;
        this.ps = new ParameterStore(parent, false);
        modes.add(new Mode("greedy", model, 1));
        modes.add(new Mode("beam" + BEAM, model, BEAM));
        if (uncached != null) {
            modes.add(new Mode("greedy_uncached", uncached, 1));
            modes.add(new Mode("beam" + BEAM + "_uncached", uncached, BEAM));
        }
    }

    /** Also times every dev sentence decoded alone (p50 and p99 of its latency), in every mode. */
    DecodingBenchmark withLatency() {
        latency = true;
        return this;
    }

    /**
     * @param dev     sentences decoded in batches of the config's batch size
     * @param lengths output lengths to force one batch of that size to
     */
    Map<String, Object> run(List<Example> dev, int[] lengths) {
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> devFigures = new LinkedHashMap<>();
        for (Mode mode : modes) {
            // Beam search without the cache on a whole dev set takes minutes; the forced table has it.
            if (!(mode.beam() > 1 && mode.name().endsWith("_uncached"))) {
                devFigures.put(mode.name(), dev(mode, dev));
            }
        }
        result.put("dev_sentences", dev.size());
        result.put("dev", devFigures);
        List<Example> batch = new ArrayList<>(decoding.batchSize());
        for (int i = 0; i < decoding.batchSize(); i++) {
            batch.add(dev.get(i % dev.size()));
        }
        for (Mode mode : modes) {
            forced(mode, batch, WARMUP_LENGTH);
        }
        Map<String, Object> forced = new LinkedHashMap<>();
        for (int length : lengths) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Mode mode : modes) {
                ProcessMemory.resetPeak();
                long start = System.nanoTime();
                forced(mode, batch, length);
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("ms", (System.nanoTime() - start) / 1e6);
                figures.put("peak_rss_mb", ProcessMemory.peakRssMb());
                row.put(mode.name(), figures);
                LOG.info("decoding {} sentences forced to {} tokens, {}: {} ms, peak RSS {} MB", batch.size(), length,
                        mode.name(), Math.round((Double) figures.get("ms")), Math.round(ProcessMemory.peakRssMb()));
            }
            forced.put(Integer.toString(length), row);
        }
        result.put("forced_batch_sentences", batch.size());
        result.put("forced_length", forced);
        return result;
    }

    /** Sentences and tokens per second over the dev sentences, after decoding them all once untimed. */
    private Map<String, Object> dev(Mode mode, List<Example> dev) {
        decodeAll(mode, dev);
        ProcessMemory.resetPeak();
        long start = System.nanoTime();
        long tokens = decodeAll(mode, dev);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sentences_per_s", dev.size() / seconds);
        m.put("tokens_per_s", tokens / seconds);
        m.put("peak_rss_mb", ProcessMemory.peakRssMb());
        LOG.info("decoding {} dev sentences, {}: {} sentences/s, peak RSS {} MB", dev.size(), mode.name(),
                String.format("%.1f", dev.size() / seconds), Math.round(ProcessMemory.peakRssMb()));
        if (latency) {
            double[] ms = new double[dev.size()];
            for (int i = 0; i < dev.size(); i++) {
                long begin = System.nanoTime();
                decode(mode, dev.subList(i, i + 1), options(mode));
                ms[i] = (System.nanoTime() - begin) / 1e6;
            }
            Arrays.sort(ms);
            m.put("latency_ms_p50", percentile(ms, 0.50));
            m.put("latency_ms_p99", percentile(ms, 0.99));
            LOG.info("single sentences, {}: p50 {} ms, p99 {} ms", mode.name(), String.format("%.1f", percentile(ms, 0.5)),
                    String.format("%.1f", percentile(ms, 0.99)));
        }
        return m;
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** @return the tokens produced, {@code <eos>} included */
    private long decodeAll(Mode mode, List<Example> dev) {
        int size = decoding.batchSize();
        long tokens = 0;
        for (int from = 0; from < dev.size(); from += size) {
            for (Hypothesis h : decode(mode, dev.subList(from, Math.min(dev.size(), from + size)), options(mode))) {
                tokens += h.ids().length + 1;
            }
        }
        return tokens;
    }

    /** Decodes {@code batch} to exactly {@code length} tokens per hypothesis: no end before, none after. */
    private void forced(Mode mode, List<Example> batch, int length) {
        decode(mode, batch, options(mode).forcedTo(length));
    }

    /** The config's search with the mode's beam, the best hypothesis only and no constraints. */
    private SearchOptions options(Mode mode) {
        return SearchOptions.of(decoding, 1).withBeam(mode.beam()).withConstraints(Constraints.NONE);
    }

    /** The best hypothesis per sentence, in a manager closed afterwards. */
    private List<Hypothesis> decode(Mode mode, List<Example> examples, SearchOptions options) {
        Batch batch = Batch.of(examples);
        try (NDManager manager = parent.newSubManager()) {
            return Search.run(mode.model(), ps, Inputs.ids(manager, batch.source(), batch.size(), batch.sourceLength()),
                    Inputs.lengths(manager, batch.sourceLengths()), options).stream().map(nbest -> nbest.get(0))
                    .toList();
        }
    }
}
