package nmt.config;

import java.util.List;

/**
 * The corpus and how its text becomes tokens.
 *
 * @param train         training split (required); see {@link CorpusPaths}
 * @param dev           validation split (required)
 * @param test          test split scored at the end of training (optional)
 * @param src           source language code, also the file suffix (required)
 * @param trg           target language code, also the file suffix (required)
 * @param lowercase     lowercase all text (default false)
 * @param normalization Unicode normalization: "nfc" (default), "nfkc" or "none"
 * @param tokenizer     "word" (default), "char" or "bpe" (subwords of words), for both sides
 * @param srcTokenizer  the source side's tokenizer (default: {@code tokenizer})
 * @param trgTokenizer  the target side's tokenizer (default: {@code tokenizer})
 * @param bpe           how BPE merges are learned, for the sides that use them
 * @param maxLength     training pairs with a longer side (in tokens) are skipped (default 50)
 * @param srcVocab      source vocabulary limits (and the joint vocabulary's)
 * @param trgVocab      target vocabulary limits
 * @param jointVocab    one vocabulary built from both sides (default false)
 * @param prepared      where the prepared (binarized) training split lives; made there when missing or when
 *                      its recipe differs (default: {@code prepared} in the model directory)
 * @param sampleSize    BPE merges and vocabularies are learned from a uniform sample of this many training
 *                      pairs when the split is larger; 0 learns from all of it (default 1,000,000)
 */
public record DataConfig(CorpusPaths train, CorpusPaths dev, CorpusPaths test, String src, String trg,
                         Boolean lowercase, String normalization, String tokenizer, String srcTokenizer,
                         String trgTokenizer, BpeConfig bpe, Integer maxLength, VocabConfig srcVocab,
                         VocabConfig trgVocab, Boolean jointVocab, String prepared, Integer sampleSize) {
    /** A prepared corpus stores each side's length in 16 bits. */
    public static final int LONGEST_MAX_LENGTH = 65_535;

    public static final List<String> NORMALIZATIONS = List.of("nfc", "nfkc", "none");
    public static final List<String> TOKENIZERS = List.of("word", "char", "bpe");

    public DataConfig {
        lowercase = lowercase != null && lowercase;
        normalization = normalization == null ? "nfc" : normalization;
        tokenizer = tokenizer == null ? "word" : tokenizer;
        srcTokenizer = srcTokenizer == null ? tokenizer : srcTokenizer;
        trgTokenizer = trgTokenizer == null ? tokenizer : trgTokenizer;
        bpe = bpe == null ? BpeConfig.defaults() : bpe;
        maxLength = maxLength == null ? 50 : maxLength;
        srcVocab = srcVocab == null ? VocabConfig.defaults() : srcVocab;
        trgVocab = trgVocab == null ? VocabConfig.defaults() : trgVocab;
        jointVocab = jointVocab != null && jointVocab;
        sampleSize = sampleSize == null ? 1_000_000 : sampleSize;
    }

    void validate(String path) {
        Check.required(train, path + ".train");
        Check.required(dev, path + ".dev");
        Check.required(src, path + ".src");
        Check.required(trg, path + ".trg");
        Check.oneOf(normalization, NORMALIZATIONS, path + ".normalization");
        Check.oneOf(tokenizer, TOKENIZERS, path + ".tokenizer");
        Check.oneOf(srcTokenizer, TOKENIZERS, path + ".src_tokenizer");
        Check.oneOf(trgTokenizer, TOKENIZERS, path + ".trg_tokenizer");
        bpe.validate(path + ".bpe");
        Check.atLeast(maxLength, 1, path + ".max_length");
        Check.atMost(maxLength, LONGEST_MAX_LENGTH, path + ".max_length");
        Check.atLeast(sampleSize, 0, path + ".sample_size");
        srcVocab.validate(path + ".src_vocab");
        trgVocab.validate(path + ".trg_vocab");
    }
}
