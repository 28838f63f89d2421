package nmt.config;

/**
 * How translations are searched for.
 *
 * @param beamSize          1 is greedy search, more is beam search (default 1)
 * @param maxOutputLength   longest output in tokens (default 100)
 * @param maxOutputRatio    a in the per-sentence limit a · source length + b (default 2.0)
 * @param maxOutputOffset   b in that limit (default 10)
 * @param batchSize         sentences decoded together (default 64)
 * @param kvCache           Transformer decoding reuses earlier keys/values instead of recomputing them (default true)
 * @param lengthPenalty     α of GNMT's length penalty ((5 + |y|) / 6)^α in beam search (default 1.0)
 * @param minOutputLength   tokens produced before {@code <eos>} is allowed (default 0)
 * @param allowUnk          whether {@code <unk>} may be produced (default true)
 * @param noRepeatNgramSize no n-gram of this size occurs twice in an output; 0 is off (default 0)
 * @param attentionLayer    which Transformer decoder layer's source attention is reported; −1 is the last (default −1)
 * @param attentionHead     which head of it; −1 averages the heads (default −1)
 * @param onnxThreads       an exported model's ONNX Runtime threads per operator, in runs over enough rows
 *                          to split (see OnnxSession); 0 takes the threads PyTorch would decode with (serve's
 *                          --threads, OMP_NUM_THREADS or the cores) (default 0)
 * @param onnxInterOpThreads ONNX Runtime threads running independent operators at once; 1 runs them in
 *                          order (default 1)
 */
public record DecodingConfig(Integer beamSize, Integer maxOutputLength, Double maxOutputRatio, Integer maxOutputOffset,
                             Integer batchSize, Boolean kvCache, Double lengthPenalty, Integer minOutputLength,
                             Boolean allowUnk, Integer noRepeatNgramSize, Integer attentionLayer,
                             Integer attentionHead, Integer onnxThreads, Integer onnxInterOpThreads) {
    public DecodingConfig {
        beamSize = beamSize == null ? 1 : beamSize;
        maxOutputLength = maxOutputLength == null ? 100 : maxOutputLength;
        maxOutputRatio = maxOutputRatio == null ? 2.0 : maxOutputRatio;
        maxOutputOffset = maxOutputOffset == null ? 10 : maxOutputOffset;
        batchSize = batchSize == null ? 64 : batchSize;
        kvCache = kvCache == null || kvCache;
        lengthPenalty = lengthPenalty == null ? 1.0 : lengthPenalty;
        minOutputLength = minOutputLength == null ? 0 : minOutputLength;
        allowUnk = allowUnk == null || allowUnk;
        noRepeatNgramSize = noRepeatNgramSize == null ? 0 : noRepeatNgramSize;
        attentionLayer = attentionLayer == null ? -1 : attentionLayer;
        attentionHead = attentionHead == null ? -1 : attentionHead;
        onnxThreads = onnxThreads == null ? 0 : onnxThreads;
        onnxInterOpThreads = onnxInterOpThreads == null ? 1 : onnxInterOpThreads;
    }

    public static DecodingConfig defaults() {
        return new DecodingConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public DecodingConfig withKvCache(boolean cache) {
        return new DecodingConfig(beamSize, maxOutputLength, maxOutputRatio, maxOutputOffset, batchSize, cache,
                lengthPenalty, minOutputLength, allowUnk, noRepeatNgramSize, attentionLayer, attentionHead, onnxThreads,
                onnxInterOpThreads);
    }

    public DecodingConfig withBeamSize(int beam) {
        return new DecodingConfig(beam, maxOutputLength, maxOutputRatio, maxOutputOffset, batchSize, kvCache,
                lengthPenalty, minOutputLength, allowUnk, noRepeatNgramSize, attentionLayer, attentionHead, onnxThreads,
                onnxInterOpThreads);
    }

    /** The most tokens to produce for a source of this many tokens (not counting its {@code <eos>}); at least 1. */
    public int outputLimit(int sourceLength) {
        return (int) Math.max(1, Math.min(maxOutputLength, Math.ceil(maxOutputRatio * sourceLength + maxOutputOffset)));
    }

    void validate(String path) {
        Check.atLeast(beamSize, 1, path + ".beam_size");
        Check.atLeast(maxOutputLength, 1, path + ".max_output_length");
        Check.atLeast(maxOutputRatio, 0, path + ".max_output_ratio");
        Check.atLeast(batchSize, 1, path + ".batch_size");
        Check.atLeast(lengthPenalty, 0, path + ".length_penalty");
        Check.atLeast(minOutputLength, 0, path + ".min_output_length");
        Check.atLeast(noRepeatNgramSize, 0, path + ".no_repeat_ngram_size");
        Check.atLeast(attentionLayer, -1, path + ".attention_layer");
        Check.atLeast(attentionHead, -1, path + ".attention_head");
        Check.atLeast(onnxThreads, 0, path + ".onnx_threads");
        Check.atLeast(onnxInterOpThreads, 1, path + ".onnx_inter_op_threads");
    }
}
