package nmt.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import nmt.InputError;
import nmt.config.DataConfig;

/** The source and target pipelines of a model; their vocabularies live in the model directory. */
public record LanguagePair(TextPipeline sourcePipeline, TextPipeline targetPipeline) {
    public static final String SOURCE_VOCAB = "src_vocab.txt";
    public static final String TARGET_VOCAB = "trg_vocab.txt";

    /** The BPE merges of a side whose tokenizer is "bpe" (the same file content on both sides when joint). */
    public static final String SOURCE_BPE = "src_bpe.txt";
    public static final String TARGET_BPE = "trg_bpe.txt";

    public static LanguagePair load(DataConfig config, Path modelDir) {
        TextNormalizer normalizer = new TextNormalizer(config.normalization(), config.lowercase());
        return new LanguagePair(
                new TextPipeline(normalizer, tokenizer(config.srcTokenizer(), config.src(), modelDir, SOURCE_BPE),
                        Vocabulary.load(modelDir.resolve(SOURCE_VOCAB))),
                new TextPipeline(normalizer, tokenizer(config.trgTokenizer(), config.trg(), modelDir, TARGET_BPE),
                        Vocabulary.load(modelDir.resolve(TARGET_VOCAB))));
    }

    private static Tokenizer tokenizer(String kind, String lang, Path modelDir, String mergesFile) {
        Tokenizer base = Tokenizer.create(kind, lang);
        if (!"bpe".equals(kind)) {
            return base;
        }
        if (!Files.isRegularFile(modelDir.resolve(mergesFile))) {
            throw new InputError("model directory " + modelDir + " is incomplete: " + mergesFile + " is missing");
        }
        return new BpeTokenizer((WordTokenizer) base, BpeCodes.load(modelDir.resolve(mergesFile)));
    }

    /** A SHA-256 of the vocabularies and merges: equal digests, equal ids for the same text. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (TextPipeline side : List.of(sourcePipeline, targetPipeline)) {
                List<String> lines = new ArrayList<>(side.vocabulary().tokens());
                lines.add("\u0000" + side.tokenizer().getClass().getSimpleName());
                if (side.tokenizer() instanceof BpeTokenizer bpe) {
                    lines.addAll(bpe.codes().lines());
                }
                for (String line : lines) {
                    sha.update(line.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) '\n');
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Writes the vocabularies and, for BPE sides, the merges; returns the names of the files written. */
    public List<String> save(Path dir) throws IOException {
        List<String> written = new ArrayList<>(List.of(SOURCE_VOCAB, TARGET_VOCAB));
        sourcePipeline.vocabulary().save(dir.resolve(SOURCE_VOCAB));
        targetPipeline.vocabulary().save(dir.resolve(TARGET_VOCAB));
        if (sourcePipeline.tokenizer() instanceof BpeTokenizer bpe) {
            bpe.codes().save(dir.resolve(SOURCE_BPE));
            written.add(SOURCE_BPE);
        }
        if (targetPipeline.tokenizer() instanceof BpeTokenizer bpe) {
            bpe.codes().save(dir.resolve(TARGET_BPE));
            written.add(TARGET_BPE);
        }
        return written;
    }
}
