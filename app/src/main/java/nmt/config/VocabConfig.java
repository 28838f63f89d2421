package nmt.config;

/**
 * Vocabulary limits for one side.
 *
 * @param minFreq tokens seen fewer times in training become {@code <unk>} (default 1)
 * @param maxSize most frequent tokens kept, specials included (default 50000)
 */
public record VocabConfig(Integer minFreq, Integer maxSize) {
    public VocabConfig {
        minFreq = minFreq == null ? 1 : minFreq;
        maxSize = maxSize == null ? 50000 : maxSize;
    }

    public static VocabConfig defaults() {
        return new VocabConfig(null, null);
    }

    void validate(String path) {
        Check.atLeast(minFreq, 1, path + ".min_freq");
        Check.atLeast(maxSize, 5, path + ".max_size");
    }
}
