package nmt.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's translations of a test set, scored with BLEU and chrF2 exactly as sacreBLEU scores
 * them, and how fast they were made (search and detokenization, not model loading).
 *
 * @param tokens target tokens produced, without {@code <eos>}
 */
public record TranslationScore(List<String> hypotheses, BleuScore bleu, ChrfScore chrf, int sentences, long tokens,
                               double seconds) {

    /**
     * Scores translations against one or more reference sets.
     *
     * @param tokens  target tokens the translations were made of, without {@code <eos>}
     * @param seconds how long making them took
     */
    public static TranslationScore of(List<String> hypotheses, long tokens, double seconds,
                                      List<List<String>> references, Bleu bleu, ChrF chrf) {
        return new TranslationScore(hypotheses, bleu.corpusScore(hypotheses, references),
                chrf.corpusScore(hypotheses, references), hypotheses.size(), tokens, seconds);
    }

    public double sentencesPerSecond() {
        return sentences / Math.max(seconds, 1e-9);
    }

    public double tokensPerSecond() {
        return tokens / Math.max(seconds, 1e-9);
    }

    /** sacreBLEU's text output for both metrics, then the speed. */
    public List<String> report() {
        return List.of(bleu.format(), bleu.signature(), chrf.format(), chrf.signature(), String.format(Locale.ROOT,
                "translated %d sentences in %.2f s: %.1f sentences/s, %.0f target tokens/s", sentences, seconds,
                sentencesPerSecond(), tokensPerSecond()));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> chrfJson = new LinkedHashMap<>();
        chrfJson.put("name", "chrF2");
        chrfJson.put("score", chrf.score());
        chrfJson.put("signature", chrf.signature());
        Map<String, Object> speed = new LinkedHashMap<>();
        speed.put("sentences", sentences);
        speed.put("target_tokens", tokens);
        speed.put("seconds", seconds);
        speed.put("sentences_per_s", sentencesPerSecond());
        speed.put("target_tokens_per_s", tokensPerSecond());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bleu", bleu.toJson());
        m.put("chrf", chrfJson);
        m.put("speed", speed);
        return m;
    }
}
