package nmt.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import nmt.InputError;
import nmt.config.BpeConfig;
import nmt.config.CorpusPaths;
import nmt.config.DataConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a training run reads: the three splits, encoded with vocabularies built on the
 * training split (after learning BPE merges there for the sides that use subwords). Training
 * pairs with an empty or over-long side are skipped and counted.
 *
 * @param bpeDropout BPE-dropout probability for the training text, 0 for a fixed segmentation
 * @param maxLength  the longest side a training pair may have, in tokens
 */
public record TrainingData(LanguagePair languages, EncodedCorpus train, EncodedCorpus dev, EncodedCorpus test,
                           int skippedEmpty, int skippedLong, double bpeDropout, int maxLength) {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);

    /** Learns BPE merges (where configured) and vocabularies from the training split. */
    public static TrainingData prepare(DataConfig config) {
        return prepare(config, null);
    }

    /**
     * @param fixed the tokenizers and vocabularies to use (those of a model being resumed or
     *              fine-tuned), or null to learn them from the training split
     */
    public static TrainingData prepare(DataConfig config, LanguagePair fixed) {
        ParallelCorpus trainText = CorpusReader.read(config.train(), config.src(), config.trg());
        TextNormalizer normalizer = new TextNormalizer(config.normalization(), config.lowercase());
        Tokenizer srcBase = Tokenizer.create(config.srcTokenizer(), config.src());
        Tokenizer trgBase = Tokenizer.create(config.trgTokenizer(), config.trg());
        List<List<String>> srcWords = new ArrayList<>(trainText.size());
        List<List<String>> trgWords = new ArrayList<>(trainText.size());
        for (int i = 0; i < trainText.size(); i++) {
            srcWords.add(srcBase.tokenize(normalizer.normalize(trainText.source().get(i))));
            trgWords.add(trgBase.tokenize(normalizer.normalize(trainText.target().get(i))));
        }
        Tokenizer srcTokenizer = fixed == null ? srcBase : fixed.source().tokenizer();
        Tokenizer trgTokenizer = fixed == null ? trgBase : fixed.target().tokenizer();
        boolean srcBpe = fixed == null && "bpe".equals(config.srcTokenizer());
        boolean trgBpe = fixed == null && "bpe".equals(config.trgTokenizer());
        if (srcBpe && trgBpe && config.bpe().joint()) {
            List<List<String>> both = new ArrayList<>(srcWords);
            both.addAll(trgWords);
            BpeCodes codes = learnBpe(config.bpe(), both, "joint " + config.src() + "+" + config.trg());
            srcTokenizer = new BpeTokenizer((WordTokenizer) srcBase, codes);
            trgTokenizer = new BpeTokenizer((WordTokenizer) trgBase, codes);
        } else {
            if (srcBpe) {
                srcTokenizer = new BpeTokenizer((WordTokenizer) srcBase, learnBpe(config.bpe(), srcWords, config.src()));
            }
            if (trgBpe) {
                trgTokenizer = new BpeTokenizer((WordTokenizer) trgBase, learnBpe(config.bpe(), trgWords, config.trg()));
            }
        }

        List<List<String>> srcTokens = new ArrayList<>();
        List<List<String>> trgTokens = new ArrayList<>();
        List<String> rawSrc = new ArrayList<>();
        List<String> rawTrg = new ArrayList<>();
        int empty = 0;
        int tooLong = 0;
        for (int i = 0; i < trainText.size(); i++) {
            List<String> s = srcTokenizer instanceof BpeTokenizer bpe ? bpe.split(srcWords.get(i)) : srcWords.get(i);
            List<String> t = trgTokenizer instanceof BpeTokenizer bpe ? bpe.split(trgWords.get(i)) : trgWords.get(i);
            if (s.isEmpty() || t.isEmpty()) {
                empty++;
            } else if (s.size() > config.maxLength() || t.size() > config.maxLength()) {
                tooLong++;
            } else {
                srcTokens.add(s);
                trgTokens.add(t);
                rawSrc.add(trainText.source().get(i));
                rawTrg.add(trainText.target().get(i));
            }
        }
        if (srcTokens.isEmpty()) {
            throw new InputError(trainText.name() + ": no training pairs left after filtering (" + empty
                    + " with an empty side, " + tooLong + " longer than data.max_length=" + config.maxLength() + ")");
        }
        // With BPE-dropout the vocabularies also count one dropped-out segmentation, so that the pieces
        // later epochs produce are mostly known.
        double dropout = config.bpe().dropout();
        List<List<String>> srcCounted = withDropoutPass(srcTokens, srcTokenizer, rawSrc, normalizer, dropout);
        List<List<String>> trgCounted = withDropoutPass(trgTokens, trgTokenizer, rawTrg, normalizer, dropout);
        Vocabulary srcVocab;
        Vocabulary trgVocab;
        if (fixed != null) {
            srcVocab = fixed.source().vocabulary();
            trgVocab = fixed.target().vocabulary();
        } else if (config.jointVocab()) {
            List<List<String>> both = new ArrayList<>(srcCounted);
            both.addAll(trgCounted);
            srcVocab = Vocabulary.build(both, config.srcVocab().minFreq(), config.srcVocab().maxSize());
            trgVocab = srcVocab;
        } else {
            srcVocab = Vocabulary.build(srcCounted, config.srcVocab().minFreq(), config.srcVocab().maxSize());
            trgVocab = Vocabulary.build(trgCounted, config.trgVocab().minFreq(), config.trgVocab().maxSize());
        }
        TextPipeline source = new TextPipeline(normalizer, srcTokenizer, srcVocab);
        TextPipeline target = new TextPipeline(normalizer, trgTokenizer, trgVocab);

        List<Example> examples = new ArrayList<>(srcTokens.size());
        for (int i = 0; i < srcTokens.size(); i++) {
            examples.add(new Example(srcVocab.encode(srcTokens.get(i)), trgVocab.encode(trgTokens.get(i))));
        }
        EncodedCorpus train = new EncodedCorpus(trainText.name(), examples, rawSrc, rawTrg);
        EncodedCorpus dev = encode(config.dev(), config, source, target);
        EncodedCorpus test = config.test() == null ? null : encode(config.test(), config, source, target);
        return new TrainingData(new LanguagePair(source, target), train, dev, test, empty, tooLong, dropout,
                config.maxLength());
    }

    /**
     * The training pairs for one epoch: with BPE-dropout, the raw training text segmented anew (a
     * pair that would grow past the maximum length keeps its fixed segmentation); else the fixed
     * encoding.
     */
    public List<Example> trainingExamples(long seed) {
        if (bpeDropout == 0) {
            return train.examples();
        }
        Random random = new Random(seed);
        TextPipeline source = dropped(languages.source(), random);
        TextPipeline target = dropped(languages.target(), random);
        List<Example> examples = new ArrayList<>(train.size());
        for (int i = 0; i < train.size(); i++) {
            int[] s = source.encode(train.rawSource().get(i));
            int[] t = target.encode(train.rawTarget().get(i));
            examples.add(s.length <= maxLength && t.length <= maxLength ? new Example(s, t) : train.examples().get(i));
        }
        return examples;
    }

    private TextPipeline dropped(TextPipeline pipeline, Random random) {
        return pipeline.tokenizer() instanceof BpeTokenizer bpe
                ? new TextPipeline(pipeline.normalizer(), bpe.withDropout(random, bpeDropout), pipeline.vocabulary())
                : pipeline;
    }

    private static List<List<String>> withDropoutPass(List<List<String>> tokens, Tokenizer tokenizer, List<String> raw,
                                                      TextNormalizer normalizer, double dropout) {
        if (dropout == 0 || !(tokenizer instanceof BpeTokenizer bpe)) {
            return tokens;
        }
        BpeTokenizer dropped = bpe.withDropout(new Random(0), dropout);
        List<List<String>> counted = new ArrayList<>(tokens);
        for (String line : raw) {
            counted.add(dropped.tokenize(normalizer.normalize(line)));
        }
        return counted;
    }

    private static BpeCodes learnBpe(BpeConfig config, List<List<String>> sentences, String what) {
        long start = System.nanoTime();
        BpeLearner learner = BpeLearner.fromTokens(sentences);
        BpeCodes codes = new BpeCodes(learner.learn(config.mergesFor(learner.alphabetSize()), config.minFrequency()));
        LOG.info(String.format(Locale.ROOT, "BPE %s: learned %d merges over %d starting symbols in %.2f s", what,
                codes.size(), learner.alphabetSize(), (System.nanoTime() - start) / 1e9));
        return codes;
    }

    private static EncodedCorpus encode(CorpusPaths paths, DataConfig config, TextPipeline source, TextPipeline target) {
        ParallelCorpus text = CorpusReader.read(paths, config.src(), config.trg());
        if (text.size() == 0) {
            throw new InputError(text.name() + ": the corpus is empty");
        }
        List<Example> examples = new ArrayList<>(text.size());
        for (int i = 0; i < text.size(); i++) {
            examples.add(new Example(truncate(source.encode(text.source().get(i)), config.maxLength()),
                    target.encode(text.target().get(i))));
        }
        return new EncodedCorpus(text.name(), examples, text.source(), text.target());
    }

    private static int[] truncate(int[] ids, int max) {
        return ids.length <= max ? ids : Arrays.copyOf(ids, max);
    }
}
