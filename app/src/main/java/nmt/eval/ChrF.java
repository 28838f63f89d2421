package nmt.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Corpus chrF (Popović 2015) as sacreBLEU 2.x computes it by default: character n-grams of orders
 * 1–6 with whitespace removed, β = 2, the statistics of the best-scoring reference per segment,
 * averaged over the orders that occur ("effective order").
 */
public final class ChrF {
    public static final int CHAR_ORDER = 6;
    public static final int BETA = 2;

    private final boolean lowercase;
    private final String version;

    /** @param version the tool and version that goes into the signature in place of sacreBLEU's */
    public ChrF(boolean lowercase, String version) {
        this.lowercase = lowercase;
        this.version = version;
    }

    /**
     * @param hypotheses one line per segment
     * @param references one list per reference set, each as long as {@code hypotheses}
     */
    public ChrfScore corpusScore(List<String> hypotheses, List<List<String>> references) {
        long[] total = new long[3 * CHAR_ORDER];
        for (int i = 0; i < hypotheses.size(); i++) {
            List<Map<String, Integer>> hyp = ngrams(hypotheses.get(i));
            long[] best = null;
            double bestScore = -1;
            for (List<String> refSet : references) {
                long[] stats = matchStatistics(hyp, ngrams(refSet.get(i)));
                double f = fScore(stats);
                if (f > bestScore) {
                    bestScore = f;
                    best = stats;
                }
            }
            for (int k = 0; k < total.length; k++) {
                total[k] += best[k];
            }
        }
        return new ChrfScore(fScore(total), signature(references.size()));
    }

    public String signature(int nrefs) {
        return "nrefs:" + nrefs + "|case:" + (lowercase ? "lc" : "mixed") + "|eff:yes|nc:" + CHAR_ORDER
                + "|nw:0|space:no|version:" + version;
    }

    /** Counts of every character n-gram per order, over the code points left after removing whitespace. */
    private List<Map<String, Integer>> ngrams(String segment) {
        String s = lowercase ? segment.toLowerCase(Locale.ROOT) : segment;
        int[] chars = String.join("", PythonText.split(s)).codePoints().toArray();
        List<Map<String, Integer>> orders = new ArrayList<>(CHAR_ORDER);
        for (int n = 1; n <= CHAR_ORDER; n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= chars.length; i++) {
                counts.merge(new String(chars, i, n), 1, Integer::sum);
            }
            orders.add(counts);
        }
        return orders;
    }

    /** [hypothesis n-grams, reference n-grams, matches] per order. */
    private static long[] matchStatistics(List<Map<String, Integer>> hyp, List<Map<String, Integer>> ref) {
        long[] stats = new long[3 * CHAR_ORDER];
        for (int n = 0; n < CHAR_ORDER; n++) {
            Map<String, Integer> r = ref.get(n);
            long hypCount = 0;
            long matches = 0;
            for (Map.Entry<String, Integer> e : hyp.get(n).entrySet()) {
                hypCount += e.getValue();
                matches += Math.min(e.getValue(), r.getOrDefault(e.getKey(), 0));
            }
            // sacreBLEU counts no hypothesis n-grams of an order the reference lacks.
            stats[3 * n] = r.isEmpty() ? 0 : hypCount;
            stats[3 * n + 1] = r.values().stream().mapToLong(Integer::longValue).sum();
            stats[3 * n + 2] = matches;
        }
        return stats;
    }

    private static double fScore(long[] stats) {
        double factor = BETA * BETA;
        double precision = 0;
        double recall = 0;
        int effectiveOrder = 0;
        for (int n = 0; n < CHAR_ORDER; n++) {
            long hyp = stats[3 * n];
            long ref = stats[3 * n + 1];
            if (hyp > 0 && ref > 0) {
                precision += stats[3 * n + 2] / (double) hyp;
                recall += stats[3 * n + 2] / (double) ref;
                effectiveOrder++;
            }
        }
        if (effectiveOrder == 0) {
            return 0;
        }
        precision /= effectiveOrder;
        recall /= effectiveOrder;
        if (precision + recall == 0) {
            return 0;
        }
        double score = (1 + factor) * precision * recall;
        score /= factor * precision + recall;
        return 100 * score;
    }
}
