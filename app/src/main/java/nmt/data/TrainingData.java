package nmt.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import nmt.InputError;
import nmt.config.CorpusPaths;
import nmt.config.DataConfig;

/**
 * Everything a training run reads: the training split as a {@link PreparedCorpus} (made or reused
 * by {@link CorpusPreparation}), and the dev and test splits, small enough to hold as text and ids.
 */
public record TrainingData(DataConfig config, PreparedCorpus train, EncodedCorpus dev, EncodedCorpus test)
        implements Closeable {
    /** Bytes an example with BPE-dropout costs on the heap beyond its ids (objects and list slot). */
    private static final long EXAMPLE_OVERHEAD_BYTES = 112;

    /**
     * @param prepared where the prepared training split is, or is made
     * @param given    the vocabularies and merges of a model being resumed or fine-tuned, or null to learn them
     */
    public static TrainingData prepare(DataConfig config, Path prepared, LanguagePair given) {
        PreparedCorpus train = CorpusPreparation.prepare(config, prepared, given);
        LanguagePair languages = train.languages();
        EncodedCorpus dev = encode(config.dev(), config, languages);
        EncodedCorpus test = config.test() == null ? null : encode(config.test(), config, languages);
        return new TrainingData(config, train, dev, test);
    }

    public LanguagePair languages() {
        return train.languages();
    }

    /**
     * The training pairs for one epoch: with BPE-dropout, the training text read again and segmented
     * anew (a pair that would grow past the maximum length keeps its fixed segmentation); else the
     * prepared corpus.
     */
    public TrainingPairs trainingPairs(long seed) {
        double dropout = config.bpe().dropout();
        if (dropout == 0) {
            return train;
        }
        requireHeapForDropout(train.size(), train.stats().tokens(), Runtime.getRuntime().maxMemory());
        Random random = new Random(seed);
        LanguagePair languages = languages();
        TextPipeline source = dropped(languages.sourcePipeline(), random, dropout);
        TextPipeline target = dropped(languages.targetPipeline(), random, dropout);
        PairEncoder fixed = new PairEncoder(languages, config.maxLength());
        List<Example> examples = new ArrayList<>(train.size());
        try (PairReader reader = new PairReader(config.train(), config.src(), config.trg())) {
            while (reader.next()) {
                if (fixed.encode(reader.source(), reader.target()).outcome() != PairEncoder.Outcome.KEPT) {
                    continue;
                }
                if (examples.size() == train.size()) {
                    throw changedText();
                }
                int[] s = source.encode(reader.source());
                int[] t = target.encode(reader.target());
                boolean fits = s.length <= config.maxLength() && t.length <= config.maxLength();
                examples.add(fits ? new Example(s, t) : train.example(examples.size()));
            }
        } catch (IOException e) {
            throw new InputError(train.path() + ": " + e.getMessage());
        }
        if (examples.size() != train.size()) {
            throw changedText();
        }
        return TrainingPairs.of(examples);
    }

    private InputError changedText() {
        return new InputError(CorpusReader.name(config.train(), config.src(), config.trg())
                + " changed since it was prepared in " + train.path() + ": run again to prepare it anew");
    }

    /** BPE-dropout keeps an epoch's ids on the heap: refuses a corpus whose ids would take more than half of it. */
    static void requireHeapForDropout(int pairs, long tokens, long heapBytes) {
        long needed = tokens * 4 + pairs * EXAMPLE_OVERHEAD_BYTES;
        if (needed > heapBytes / 2) {
            throw new InputError(String.format(Locale.ROOT, "data.bpe.dropout keeps each epoch's segmentation on the "
                    + "heap: %,d pairs need about %,d MB, more than half the Java heap of %,d MB; set "
                    + "data.bpe.dropout to 0, or give Java more heap (java -Xmx%dg -jar nmt.jar ...)",
                    pairs, needed >> 20, heapBytes >> 20, Math.max(2, (needed * 3 >> 30) + 1)));
        }
    }

    /** Closes the prepared corpus's file. */
    @Override
    public void close() throws IOException {
        train.close();
    }

    private static TextPipeline dropped(TextPipeline pipeline, Random random, double dropout) {
        return pipeline.tokenizer() instanceof BpeTokenizer bpe
                ? new TextPipeline(pipeline.normalizer(), bpe.withDropout(random, dropout), pipeline.vocabulary())
                : pipeline;
    }

    private static EncodedCorpus encode(CorpusPaths paths, DataConfig config, LanguagePair languages) {
        ParallelCorpus text = CorpusReader.read(paths, config.src(), config.trg());
        if (text.size() == 0) {
            throw new InputError(text.name() + ": the corpus is empty");
        }
        List<Example> examples = new ArrayList<>(text.size());
        for (int i = 0; i < text.size(); i++) {
            examples.add(new Example(truncate(languages.sourcePipeline().encode(text.source().get(i)), config.maxLength()),
                    languages.targetPipeline().encode(text.target().get(i))));
        }
        return new EncodedCorpus(text.name(), examples, text.source(), text.target());
    }

    private static int[] truncate(int[] ids, int max) {
        return ids.length <= max ? ids : Arrays.copyOf(ids, max);
    }
}
