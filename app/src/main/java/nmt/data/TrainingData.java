package nmt.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nmt.InputError;
import nmt.config.CorpusPaths;
import nmt.config.DataConfig;

/**
 * Everything a training run reads: the three splits, encoded with vocabularies built on the
 * training split. Training pairs with an empty or over-long side are skipped and counted.
 */
public record TrainingData(LanguagePair languages, EncodedCorpus train, EncodedCorpus dev, EncodedCorpus test,
                           int skippedEmpty, int skippedLong) {

    public static TrainingData prepare(DataConfig config) {
        ParallelCorpus trainText = CorpusReader.read(config.train(), config.src(), config.trg());
        TextNormalizer normalizer = new TextNormalizer(config.normalization(), config.lowercase());
        Tokenizer srcTokenizer = Tokenizer.create(config.tokenizer(), config.src());
        Tokenizer trgTokenizer = Tokenizer.create(config.tokenizer(), config.trg());

        List<List<String>> srcTokens = new ArrayList<>();
        List<List<String>> trgTokens = new ArrayList<>();
        List<String> rawSrc = new ArrayList<>();
        List<String> rawTrg = new ArrayList<>();
        int empty = 0;
        int tooLong = 0;
        for (int i = 0; i < trainText.size(); i++) {
            List<String> s = srcTokenizer.tokenize(normalizer.normalize(trainText.source().get(i)));
            List<String> t = trgTokenizer.tokenize(normalizer.normalize(trainText.target().get(i)));
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
        Vocabulary srcVocab;
        Vocabulary trgVocab;
        if (config.jointVocab()) {
            List<List<String>> both = new ArrayList<>(srcTokens);
            both.addAll(trgTokens);
            srcVocab = Vocabulary.build(both, config.srcVocab().minFreq(), config.srcVocab().maxSize());
            trgVocab = srcVocab;
        } else {
            srcVocab = Vocabulary.build(srcTokens, config.srcVocab().minFreq(), config.srcVocab().maxSize());
            trgVocab = Vocabulary.build(trgTokens, config.trgVocab().minFreq(), config.trgVocab().maxSize());
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
        return new TrainingData(new LanguagePair(source, target), train, dev, test, empty, tooLong);
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
