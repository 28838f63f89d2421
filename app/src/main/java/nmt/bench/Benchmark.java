package nmt.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nmt.config.Config;
import nmt.data.Batch;
import nmt.data.Example;
import nmt.data.TokenBatcher;
import nmt.data.TrainingData;
import nmt.data.TrainingPairs;
import nmt.engine.Engines;
import nmt.engine.MatmulPrecision;
import nmt.model.ModelFactory;
import nmt.model.Seq2Seq;
import nmt.modeldir.TranslationModel;
import nmt.train.Optimizers;
import nmt.train.Schedule;
import nmt.train.Trainers;
import nmt.train.Updater;

/**
 * Measures what a configured model costs to train and to run on this machine: updates on real
 * corpus batches after a warm-up (with time per phase and memory), decoding speed and memory
 * ({@link DecodingBenchmark}), and the matrix-product ceiling of the machine.
 */
public final class Benchmark {
    /**
     * @param warmup          updates before timing starts
     * @param updates         timed updates
     * @param sentences       dev sentences decoded
     * @param lengths         output lengths one batch is forced to (no early end) and timed at
     * @param trained         a trained model to decode with, or null to decode with the freshly
     *                        initialised one (whose outputs end early and say little about speed)
     */
    public record Options(int warmup, int updates, int sentences, int[] lengths, TranslationModel trained) {
    }

    private final Config config;
    private final TrainingData data;
    private final Options options;

    public Benchmark(Config config, TrainingData data, Options options) {
        this.config = config;
        this.data = data;
        this.options = options;
    }

    /**
     * A model's decoding alone, with single-sentence latency, in a process that prepares and trains
     * nothing (so its memory is the decoder's).
     *
     * @param devSources the dev set's source lines; the first {@code sentences} with tokens are decoded
     * @return the decode section and the peak RSS
     */
    public static Map<String, Object> decodeOnly(TranslationModel model, List<String> devSources, int sentences,
                                                 int[] lengths) {
        List<Example> dev = encoded(model, devSources);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("decode", new DecodingBenchmark(model.config().decoding(), model.manager(), model.network(), null)
                .withLatency().run(dev.subList(0, Math.min(sentences, dev.size())), lengths));
        result.put("peak_rss_mb", highestPeak(result.get("decode")));
        return result;
    }

    /** @return nested sections of figures: train, decode, memory, flops */
    public Map<String, Object> run() {
        Engines.pytorch().setRandomSeed(config.training().seed().intValue());
        Device device = Engines.device(config.device());
        MatmulPrecision.configure(config.training().matmulPrecision());
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("rss_mb_start", ProcessMemory.rssMb());
        int src = data.languages().sourcePipeline().vocabulary().size();
        int trg = data.languages().targetPipeline().vocabulary().size();
        Seq2Seq block = ModelFactory.create(config, src, trg);
        Schedule schedule = new Schedule(config.training(), config.model().hiddenSize());
        try (Model model = Model.newInstance("benchmark", device, "PyTorch");
             Trainer trainer = Trainers.create(model, block, config, Optimizers.create(config.training(), schedule, 0), device, null)) {
            long parameters = block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            Map<String, Object> train = train(trainer, block, memory);
            train.put("parameters", parameters);
            result.put("train", train);
            result.put("decode", options.trained() == null ? decode(trainer.getManager(), block, data.dev().examples())
                    : decode(options.trained().manager(), options.trained().network(),
                            encoded(options.trained(), data.dev().rawSource())));
            result.put("memory", memory);
            result.put("flops", flops(trainer.getManager(), train, parameters, src, trg));
        }
        result.put("device", device.toString());
        return result;
    }

    /** The highest of the peak RSS figures found in the nested sections (each taken over one measurement). */
    private static double highestPeak(Object section) {
        double highest = 0;
        if (section instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                highest = Math.max(highest, "peak_rss_mb".equals(e.getKey()) ? ((Number) e.getValue()).doubleValue()
                        : highestPeak(e.getValue()));
            }
        }
        return highest;
    }

    private Map<String, Object> train(Trainer trainer, Seq2Seq block, Map<String, Object> memory) {
        TrainingPairs examples = data.train();
        List<int[]> order = TokenBatcher.batches(examples, config.training().batchTokens(), new Random(1));
        Updater updater = Updater.timed(trainer, block, config.training().clipGradNorm().floatValue());
        for (int i = 0; i < options.warmup(); i++) {
            updater.update(batch(examples, order, i));
        }
        updater.resetTimes();
        long sourceTokens = 0;
        long targetTokens = 0;
        double peakHeap = 0;
        long start = System.nanoTime();
        for (int i = 0; i < options.updates(); i++) {
            Batch batch = batch(examples, order, options.warmup() + i);
            updater.update(batch);
            targetTokens += batch.targetTokens();
            sourceTokens += Arrays.stream(batch.sourceLengths()).sum();
            peakHeap = Math.max(peakHeap, ProcessMemory.heapMb());
            if (i + 1 == Math.min(200, options.updates())) {
                memory.put("rss_mb_after_" + (i + 1), ProcessMemory.rssMb());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        memory.put("rss_mb_end", ProcessMemory.rssMb());
        memory.put("updates_measured", options.updates());
        memory.put("peak_heap_mb", peakHeap);
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("updates", options.updates());
        train.put("seconds", seconds);
        train.put("updates_per_s", options.updates() / seconds);
        train.put("target_tokens_per_s", targetTokens / seconds);
        train.put("tokens_per_s", (sourceTokens + targetTokens) / seconds);
        train.put("forward_ms_per_update", updater.forwardNanos() / 1e6 / options.updates());
        train.put("backward_ms_per_update", updater.backwardNanos() / 1e6 / options.updates());
        train.put("optimizer_ms_per_update", updater.optimizerNanos() / 1e6 / options.updates());
        train.put("target_tokens", targetTokens);
        return train;
    }

    private static Batch batch(TrainingPairs examples, List<int[]> order, int i) {
        return Batch.of(examples, order.get(i % order.size()));
    }

    /** Source lines encoded with a trained model's own vocabulary, those without tokens left out. */
    private static List<Example> encoded(TranslationModel trained, List<String> sources) {
        return sources.stream()
                .map(line -> new Example(trained.languages().sourcePipeline().encode(line), new int[0]))
                .filter(e -> e.source().length > 0).toList();
    }

    private Map<String, Object> decode(NDManager parent, Seq2Seq trained, List<Example> examples) {
        List<Example> dev = examples.subList(0, Math.min(options.sentences(), examples.size()));
        Seq2Seq uncached = null;
        if ("transformer".equals(config.model().type())) {
            uncached = ModelFactory.create(config.model(), data.languages().sourcePipeline().vocabulary().size(),
                    data.languages().targetPipeline().vocabulary().size(), config.decoding().withKvCache(false));
            uncached.initializeParameters(parent);
            copyParameters(trained, uncached);
        }
        return new DecodingBenchmark(config.decoding(), parent, trained, uncached).run(dev, options.lengths());
    }

    private static void copyParameters(Seq2Seq from, Seq2Seq to) {
        var source = from.getParameters();
        var target = to.getParameters();
        for (int i = 0; i < source.size(); i++) {
            target.get(i).getValue().getArray().set(source.get(i).getValue().getArray().toFloatArray());
        }
    }

    /**
     * Training FLOPs per target token estimated from the layer sizes: every weight is used in one
     * multiply-add per token in the forward pass and twice more in the backward pass (6 FLOPs per
     * weight per token); embedding lookups are free and attention-score products are left out.
     */
    private Map<String, Object> flops(NDManager manager, Map<String, Object> train, long parameters, int src, int trg) {
        long embeddingWeights = (long) config.model().embeddingSize() * (src
                + (config.model().tiedEmbeddings() ? 0 : trg));
        double perToken = 6.0 * (parameters - embeddingWeights);
        double achieved = perToken * ((Number) train.get("target_tokens_per_s")).doubleValue() / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_flops_per_target_token", perToken);
        m.put("achieved_gflops", achieved);
        double ceiling = matmulGflops(manager);
        m.put("matmul_ceiling_gflops", ceiling);
        m.put("share_of_ceiling", achieved / ceiling);
        return m;
    }

    /** GFLOP/s of a 2048³ fp32 matrix product, the practical ceiling of this machine. */
    private static double matmulGflops(NDManager parent) {
        int n = 2048;
        try (NDManager manager = parent.newSubManager()) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            a.matMul(b).close();
            int repeats = 5;
            long start = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                a.matMul(b).close();
            }
            double seconds = (System.nanoTime() - start) / 1e9 / repeats;
            return 2.0 * n * n * n / seconds / 1e9;
        }
    }

    public static List<String> table(Map<String, Object> result) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Object> section : result.entrySet()) {
            if (section.getValue() instanceof Map<?, ?> map) {
                lines.add(section.getKey() + ":");
                flatten("  ", map, lines);
            } else {
                lines.add(section.getKey() + ": " + section.getValue());
            }
        }
        return lines;
    }

    private static void flatten(String indent, Map<?, ?> map, List<String> lines) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> inner) {
                lines.add(indent + e.getKey() + ":");
                flatten(indent + "  ", inner, lines);
            } else {
                Object v = e.getValue();
                String text = v instanceof Double d ? String.format("%.2f", d) : String.valueOf(v);
                lines.add(String.format("%s%-30s %s", indent, e.getKey(), text));
            }
        }
    }
}
