package nmt.data;

import java.io.IOException;
import java.nio.file.Path;
import nmt.config.DataConfig;

/** The source and target pipelines of a model; their vocabularies live in the model directory. */
public record LanguagePair(TextPipeline source, TextPipeline target) {
    public static final String SOURCE_VOCAB = "src_vocab.txt";
    public static final String TARGET_VOCAB = "trg_vocab.txt";

    public static LanguagePair load(DataConfig config, Path modelDir) {
        TextNormalizer normalizer = new TextNormalizer(config.normalization(), config.lowercase());
        return new LanguagePair(
                new TextPipeline(normalizer, Tokenizer.create(config.tokenizer(), config.src()),
                        Vocabulary.load(modelDir.resolve(SOURCE_VOCAB))),
                new TextPipeline(normalizer, Tokenizer.create(config.tokenizer(), config.trg()),
                        Vocabulary.load(modelDir.resolve(TARGET_VOCAB))));
    }

    public void save(Path dir) throws IOException {
        source.vocabulary().save(dir.resolve(SOURCE_VOCAB));
        target.vocabulary().save(dir.resolve(TARGET_VOCAB));
    }
}
