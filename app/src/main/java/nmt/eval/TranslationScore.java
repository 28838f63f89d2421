package nmt.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nmt.decode.Hypothesis;
import nmt.decode.Translator;

/**
 * A model's translations of a test set, scored with BLEU and chrF2 exactly as sacreBLEU scores
 * them, and how fast they were made (search and detokenization, not model loading).
 *
 * @param tokens target tokens produced, without {@code <eos>}
 */
public record TranslationScore(List<String> hypotheses, BleuScore bleu, ChrfScore chrf, int sentences, long tokens,
                               double seconds) {

    /** Translates {@code sources} and scores the output against one or more reference sets. */
    public static TranslationScore of(Translator translator, List<String> sources, List<List<String>> references,
                                      Bleu bleu, ChrF chrf, NDManager manager, ParameterStore ps) {
        long start = System.nanoTime();
        List<String> hypotheses = new ArrayList<>(sources.size());
        long tokens = 0;
        for (List<Hypothesis> nbest : translator.search(sources, 1, manager, ps, 1)) {
            hypotheses.add(nbest.isEmpty() ? "" : translator.detokenize(nbest.get(0)));
            tokens += nbest.isEmpty() ? 0 : nbest.get(0).ids().length;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TranslationScore(hypotheses, bleu.corpusScore(hypotheses, references),
                chrf.corpusScore(hypotheses, references), sources.size(), tokens, seconds);
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
