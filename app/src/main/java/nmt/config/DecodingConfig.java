package nmt.config;

/**
 * How translations are searched for.
 *
 * @param beamSize        1 is greedy search, more is beam search (default 1)
 * @param maxOutputLength longest output in tokens (default 100); also at most 2 × source length + 10
 * @param batchSize       sentences decoded together (default 64)
 * @param kvCache         Transformer decoding reuses earlier keys/values instead of recomputing them (default true)
 * @param lengthPenalty   α of GNMT's length penalty ((5 + |y|) / 6)^α in beam search (default 1.0)
 * @param minOutputLength tokens produced before {@code <eos>} is allowed (default 0)
 * @param allowUnk        whether {@code <unk>} may be produced (default true)
 */
public record DecodingConfig(Integer beamSize, Integer maxOutputLength, Integer batchSize, Boolean kvCache,
                             Double lengthPenalty, Integer minOutputLength, Boolean allowUnk) {
    public DecodingConfig {
        beamSize = beamSize == null ? 1 : beamSize;
        maxOutputLength = maxOutputLength == null ? 100 : maxOutputLength;
        batchSize = batchSize == null ? 64 : batchSize;
        kvCache = kvCache == null || kvCache;
        lengthPenalty = lengthPenalty == null ? 1.0 : lengthPenalty;
        minOutputLength = minOutputLength == null ? 0 : minOutputLength;
        allowUnk = allowUnk == null || allowUnk;
    }

    public static DecodingConfig defaults() {
        return new DecodingConfig(null, null, null, null, null, null, null);
    }

    /** The most tokens to produce for a source of this many tokens (not counting its {@code <eos>}). */
    public int outputLimit(int sourceLength) {
        return Math.min(maxOutputLength, 2 * sourceLength + 10);
    }

    void validate(String path) {
        Check.atLeast(beamSize, 1, path + ".beam_size");
        Check.atLeast(maxOutputLength, 1, path + ".max_output_length");
        Check.atLeast(batchSize, 1, path + ".batch_size");
        Check.atLeast(lengthPenalty, 0, path + ".length_penalty");
        Check.atLeast(minOutputLength, 0, path + ".min_output_length");
    }
}
