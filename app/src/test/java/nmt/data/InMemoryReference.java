package nmt.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import nmt.config.DataConfig;

/**
 * The pipeline training used before corpora were prepared on disk, kept as the reference that a
 * prepared corpus must reproduce exactly: the whole split read into lists, BPE learned on every
 * pair's words, pairs filtered, vocabularies counted on the kept pairs, and batches made by
 * sorting boxed indices with a comparator.
 */
final class InMemoryReference {
    record Result(LanguagePair languages, List<Example> examples) {
    }

    private InMemoryReference() {
    }

    static Result prepare(DataConfig config) {
        ParallelCorpus text = CorpusReader.read(config.train(), config.src(), config.trg());
        TextNormalizer normalizer = new TextNormalizer(config.normalization(), config.lowercase());
        Tokenizer srcBase = Tokenizer.create(config.srcTokenizer(), config.src());
        Tokenizer trgBase = Tokenizer.create(config.trgTokenizer(), config.trg());
        List<List<String>> srcWords = new ArrayList<>();
        List<List<String>> trgWords = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            srcWords.add(srcBase.tokenize(normalizer.normalize(text.source().get(i))));
            trgWords.add(trgBase.tokenize(normalizer.normalize(text.target().get(i))));
        }
        Tokenizer srcTokenizer = srcBase;
        Tokenizer trgTokenizer = trgBase;
        boolean srcBpe = "bpe".equals(config.srcTokenizer());
        boolean trgBpe = "bpe".equals(config.trgTokenizer());
        if (srcBpe && trgBpe && config.bpe().joint()) {
            List<List<String>> both = new ArrayList<>(srcWords);
            both.addAll(trgWords);
            BpeCodes codes = learn(config, both);
            srcTokenizer = new BpeTokenizer((WordTokenizer) srcBase, codes);
            trgTokenizer = new BpeTokenizer((WordTokenizer) trgBase, codes);
        } else {
            if (srcBpe) {
                srcTokenizer = new BpeTokenizer((WordTokenizer) srcBase, learn(config, srcWords));
            }
            if (trgBpe) {
                trgTokenizer = new BpeTokenizer((WordTokenizer) trgBase, learn(config, trgWords));
            }
        }
        List<List<String>> srcTokens = new ArrayList<>();
        List<List<String>> trgTokens = new ArrayList<>();
        List<String> rawSrc = new ArrayList<>();
        List<String> rawTrg = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            List<String> s = srcTokenizer instanceof BpeTokenizer bpe ? bpe.split(srcWords.get(i)) : srcWords.get(i);
            List<String> t = trgTokenizer instanceof BpeTokenizer bpe ? bpe.split(trgWords.get(i)) : trgWords.get(i);
            if (!s.isEmpty() && !t.isEmpty() && s.size() <= config.maxLength() && t.size() <= config.maxLength()) {
                srcTokens.add(s);
                trgTokens.add(t);
                rawSrc.add(text.source().get(i));
                rawTrg.add(text.target().get(i));
            }
        }
        double dropout = config.bpe().dropout();
        List<List<String>> srcCounted = withDropoutPass(srcTokens, srcTokenizer, rawSrc, normalizer, dropout);
        List<List<String>> trgCounted = withDropoutPass(trgTokens, trgTokenizer, rawTrg, normalizer, dropout);
        Vocabulary srcVocab;
        Vocabulary trgVocab;
        if (config.jointVocab()) {
            List<List<String>> both = new ArrayList<>(srcCounted);
            both.addAll(trgCounted);
            srcVocab = Vocabulary.build(both, config.srcVocab().minFreq(), config.srcVocab().maxSize());
            trgVocab = srcVocab;
        } else {
            srcVocab = Vocabulary.build(srcCounted, config.srcVocab().minFreq(), config.srcVocab().maxSize());
            trgVocab = Vocabulary.build(trgCounted, config.trgVocab().minFreq(), config.trgVocab().maxSize());
        }
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < srcTokens.size(); i++) {
            examples.add(new Example(srcVocab.encode(srcTokens.get(i)), trgVocab.encode(trgTokens.get(i))));
        }
        return new Result(new LanguagePair(new TextPipeline(normalizer, srcTokenizer, srcVocab),
                new TextPipeline(normalizer, trgTokenizer, trgVocab)), examples);
    }

    private static BpeCodes learn(DataConfig config, List<List<String>> sentences) {
        BpeLearner learner = BpeLearner.fromTokens(sentences);
        return new BpeCodes(learner.learn(config.bpe().mergesFor(learner.alphabetSize()), config.bpe().minFrequency()));
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

    /** Batches as the comparator-sorting batcher made them. */
    static List<int[]> batches(List<Example> examples, int maxTokens, Random random) {
        int n = examples.size();
        long[] tieBreak = new long[n];
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tieBreak[i] = random.nextLong();
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(i -> examples.get(i).source().length)
                .thenComparingInt(i -> examples.get(i).target().length)
                .thenComparingLong(i -> tieBreak[i]));
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int longest = 0;
        for (int index : order) {
            Example e = examples.get(index);
            int length = Math.max(e.source().length, e.target().length) + 1;
            int widened = Math.max(longest, length);
            if (!current.isEmpty() && (long) widened * (current.size() + 1) > maxTokens) {
                batches.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
                widened = length;
            }
            current.add(index);
            longest = widened;
        }
        if (!current.isEmpty()) {
            batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        Collections.shuffle(batches, random);
        return batches;
    }
}
