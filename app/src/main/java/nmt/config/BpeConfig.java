package nmt.config;

import nmt.InputError;

/**
 * How byte-pair-encoding subwords are learned from the training split (for sides whose tokenizer
 * is "bpe"). Give either the number of merges or the vocabulary size.
 *
 * @param merges       merge operations to learn (default: from {@code vocab_size})
 * @param vocabSize    BPE symbols wanted: the starting characters plus the merges (default 8000)
 * @param joint        learn one set of merges from both sides' text (default true)
 * @param minFrequency stop when the most frequent pair occurs fewer times (default 2)
 * @param dropout      BPE-dropout probability for training text, resampled every epoch (default 0)
 */
public record BpeConfig(Integer merges, Integer vocabSize, Boolean joint, Integer minFrequency, Double dropout) {
    public BpeConfig {
        vocabSize = merges == null && vocabSize == null ? Integer.valueOf(8000) : vocabSize;
        joint = joint == null || joint;
        minFrequency = minFrequency == null ? 2 : minFrequency;
        dropout = dropout == null ? 0.0 : dropout;
    }

    public static BpeConfig defaults() {
        return new BpeConfig(null, null, null, null, null);
    }

    /** Merges to learn when the starting alphabet has this many symbols. */
    public int mergesFor(int alphabetSize) {
        return merges != null ? merges : Math.max(0, vocabSize - alphabetSize);
    }

    void validate(String path) {
        if (merges != null && vocabSize != null) {
            throw new InputError(path + ": give merges or vocab_size, not both");
        }
        if (merges != null) {
            Check.atLeast(merges, 0, path + ".merges");
        } else {
            Check.atLeast(vocabSize, 1, path + ".vocab_size");
        }
        Check.atLeast(minFrequency, 1, path + ".min_frequency");
        Check.inHalfOpen(dropout, 0, 1, path + ".dropout");
    }
}
