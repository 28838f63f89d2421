package nmt.data;

import java.util.List;

/**
 * A corpus split ready for the model: encoded pairs, plus the raw source and target lines
 * (for translation and BLEU against the untouched references).
 */
public record EncodedCorpus(String name, List<Example> examples, List<String> rawSource, List<String> rawTarget) {
    public int size() {
        return examples.size();
    }
}
