package nmt.data;

/**
 * Turns a raw sentence pair into token ids with a model's pipelines, or says why it is skipped:
 * a side without tokens, or a side longer than the maximum length. A pure function of the
 * pipelines (normalizer, tokenizer and BPE merges, vocabulary) and the text, safe to call from
 * many threads at once, so the same step can run on every core or on a cluster.
 */
public record PairEncoder(LanguagePair languages, int maxLength) {

    /** Why a training pair was left out, or that it was kept. */
    public enum Outcome { KEPT, EMPTY, TOO_LONG }

    /** @param example the ids when kept, else null */
    public record Encoded(Outcome outcome, Example example) {
    }

    public Encoded encode(String source, String target) {
        int[] s = languages.sourcePipeline().encode(source);
        int[] t = languages.targetPipeline().encode(target);
        if (s.length == 0 || t.length == 0) {
            return new Encoded(Outcome.EMPTY, null);
        }
        if (s.length > maxLength || t.length > maxLength) {
            return new Encoded(Outcome.TOO_LONG, null);
        }
        return new Encoded(Outcome.KEPT, new Example(s, t));
    }
}
