package nmt.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nmt.InputError;
import nmt.config.BpeConfig;
import nmt.config.DataConfig;
import nmt.config.VocabConfig;

/**
 * What a prepared corpus was made from and how: the training files (path, size, modification
 * time), text processing, BPE and vocabulary settings, the sample size, and whether the
 * vocabularies were learned or given. A prepared corpus is reused only while its recipe equals
 * the one a run asks for; the first difference is named when it is rebuilt.
 */
public record CorpusRecipe(JsonNode settings) {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String LEARNED = "learned";
    /** Bumped whenever normalization, tokenization or BPE segmentation change the ids of the same text. */
    static final int PIPELINE = 1;
    private static final String MISSING = "missing";

    /** @param given the vocabularies of a model being resumed or fine-tuned, or null to learn them */
    public static CorpusRecipe of(DataConfig config, LanguagePair given) {
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("pipeline", PIPELINE);
        List<Map<String, Object>> files = new ArrayList<>();
        for (Path file : PairReader.files(config.train(), config.src(), config.trg())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", file.toAbsolutePath().normalize().toString());
            try {
                entry.put("bytes", Files.size(file));
                entry.put("modified_ms", Files.getLastModifiedTime(file).toMillis());
            } catch (IOException e) {
                entry.put(MISSING, true);
            }
            files.add(entry);
        }
        recipe.put("train", files);
        recipe.put("src", config.src());
        recipe.put("trg", config.trg());
        recipe.put("lowercase", config.lowercase());
        recipe.put("normalization", config.normalization());
        recipe.put("src_tokenizer", config.srcTokenizer());
        recipe.put("trg_tokenizer", config.trgTokenizer());
        if ("bpe".equals(config.srcTokenizer()) || "bpe".equals(config.trgTokenizer())) {
            BpeConfig bpe = config.bpe();
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("merges", bpe.merges());
            b.put("vocab_size", bpe.vocabSize());
            b.put("joint", bpe.joint());
            b.put("min_frequency", bpe.minFrequency());
            b.put("dropout", bpe.dropout());
            recipe.put("bpe", b);
        }
        recipe.put("max_length", config.maxLength());
        recipe.put("src_vocab", vocab(config.srcVocab()));
        recipe.put("trg_vocab", vocab(config.trgVocab()));
        recipe.put("joint_vocab", config.jointVocab());
        recipe.put("sample_size", config.sampleSize());
        recipe.put("vocabularies", given == null ? LEARNED : given.digest());
        try {
            // Through text, so that numbers compare as the stored file reads back (a long is an int node there).
            return new CorpusRecipe(JSON.readTree(JSON.writeValueAsString(recipe)));
        } catch (IOException e) {
            throw new IllegalStateException("a recipe always serialises", e);
        }
    }

    private static Map<String, Object> vocab(VocabConfig v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min_freq", v.minFreq());
        m.put("max_size", v.maxSize());
        return m;
    }

    /** The first training file that does not exist, or null. */
    public String missingFile() {
        for (JsonNode file : settings.get("train")) {
            if (file.has(MISSING)) {
                return file.get("file").asText();
            }
        }
        return null;
    }

    /**
     * The first setting in which {@code stored} differs from this recipe, as "key: stored → wanted",
     * or null when they are equal. Given vocabularies equal to the ones a corpus learned count as equal.
     *
     * @param storedDigest the digest of the stored corpus's vocabularies
     */
    public String differenceFrom(JsonNode stored, String storedDigest) {
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = stored.get(e.getKey());
            JsonNode wanted = e.getValue();
            String difference;
            if ("train".equals(e.getKey())) {
                difference = fileDifference(old, wanted);
            } else if ("vocabularies".equals(e.getKey()) && !LEARNED.equals(wanted.asText())
                    && wanted.asText().equals(storedDigest)) {
                difference = null;
            } else {
                difference = wanted.equals(old) ? null
                        : e.getKey() + ": " + describe(old) + " → " + describe(wanted);
            }
            if (difference != null) {
                return difference;
            }
        }
        for (Iterator<String> it = stored.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!settings.has(key)) {
                return key + ": " + describe(stored.get(key)) + " → none";
            }
        }
        return null;
    }

    /**
     * The first training file that differs, or null. The text may go once it is prepared: a missing
     * file is compared by its name alone.
     */
    private static String fileDifference(JsonNode old, JsonNode wanted) {
        if (old == null || old.size() != wanted.size()) {
            return "train: " + (old == null ? 0 : old.size()) + " files → " + wanted.size();
        }
        for (int i = 0; i < wanted.size(); i++) {
            String file = wanted.get(i).get("file").asText();
            String oldFile = old.get(i).get("file").asText();
            if (!oldFile.equals(file)) {
                return "train: " + oldFile + " → " + file;
            }
            if (!wanted.get(i).has(MISSING) && !wanted.get(i).equals(old.get(i))) {
                return file + " changed since it was prepared";
            }
        }
        return null;
    }

    private static String describe(JsonNode node) {
        if (node == null) {
            return "none";
        }
        String text = node.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
