package nmt.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Corpus and sentence BLEU, computed as sacreBLEU 2.x does with its default exponential
 * smoothing, so that scores agree with it to every printed decimal.
 */
public final class Bleu {
    public static final int MAX_ORDER = 4;
    /** sacreBLEU's my_log floor for a zero precision. */
    private static final double LOG_ZERO = -9999999999.0;

    private final BleuTokenizer tokenizer;
    private final boolean lowercase;
    private final String version;

    /** @param version the tool and version that goes into the signature in place of sacreBLEU's */
    public Bleu(BleuTokenizer tokenizer, boolean lowercase, String version) {
        this.tokenizer = tokenizer;
        this.lowercase = lowercase;
        this.version = version;
    }

    /**
     * Corpus BLEU.
     *
     * @param hypotheses one line per segment
     * @param references one list per reference set, each as long as {@code hypotheses}
     */
    public BleuScore corpusScore(List<String> hypotheses, List<List<String>> references) {
        checkAligned(hypotheses, references);
        long[] stats = new long[2 + 2 * MAX_ORDER];
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> refs = new ArrayList<>(references.size());
            for (List<String> refSet : references) {
                refs.add(refSet.get(i));
            }
            long[] segment = segmentStatistics(hypotheses.get(i), refs);
            for (int k = 0; k < stats.length; k++) {
                stats[k] += segment[k];
            }
        }
        return fromStatistics(stats, false, signature(references.size(), false));
    }

    /** Sentence BLEU with effective order, as sacreBLEU's --sentence-level computes it. */
    public BleuScore sentenceScore(String hypothesis, List<String> references) {
        long[] stats = segmentStatistics(hypothesis, references);
        return fromStatistics(stats, true, signature(references.size(), true));
    }

    public String signature(int nrefs, boolean effectiveOrder) {
        return "nrefs:" + nrefs + "|case:" + (lowercase ? "lc" : "mixed") + "|eff:" + (effectiveOrder ? "yes" : "no")
                + "|tok:" + tokenizer.signatureName() + "|smooth:exp|version:" + version;
    }

    private static void checkAligned(List<String> hypotheses, List<List<String>> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("at least one reference set is needed");
        }
        for (List<String> refSet : references) {
            if (refSet.size() != hypotheses.size()) {
                throw new IllegalArgumentException("hypotheses have " + hypotheses.size()
                        + " lines but a reference set has " + refSet.size());
            }
        }
    }

    private List<String> preprocess(String segment) {
        String s = lowercase ? segment.toLowerCase(Locale.ROOT) : segment;
        return PythonText.split(tokenizer.tokenize(PythonText.rstrip(s)));
    }

    /** [hyp_len, ref_len, correct_1..4, total_1..4] for one segment. */
    private long[] segmentStatistics(String hypothesis, List<String> references) {
        Map<List<String>, Integer> maxRefCounts = new HashMap<>();
        List<Integer> refLengths = new ArrayList<>(references.size());
        for (String reference : references) {
            List<String> tokens = preprocess(reference);
            refLengths.add(tokens.size());
            ngramCounts(tokens).forEach((ngram, count) -> maxRefCounts.merge(ngram, count, Math::max));
        }
        List<String> hyp = preprocess(hypothesis);
        long[] stats = new long[2 + 2 * MAX_ORDER];
        stats[0] = hyp.size();
        stats[1] = closestReferenceLength(hyp.size(), refLengths);
        ngramCounts(hyp).forEach((ngram, count) -> {
            int order = ngram.size() - 1;
            stats[2 + MAX_ORDER + order] += count;
            stats[2 + order] += Math.min(count, maxRefCounts.getOrDefault(ngram, 0));
        });
        return stats;
    }

    /** The reference length closest to the hypothesis length; ties go to the shorter one. */
    private static int closestReferenceLength(int hypLength, List<Integer> refLengths) {
        int closestDiff = -1;
        int closestLength = -1;
        for (int refLength : refLengths) {
            int diff = Math.abs(hypLength - refLength);
            if (closestDiff == -1 || diff < closestDiff) {
                closestDiff = diff;
                closestLength = refLength;
            } else if (diff == closestDiff && refLength < closestLength) {
                closestLength = refLength;
            }
        }
        return closestLength;
    }

    private static Map<List<String>, Integer> ngramCounts(List<String> tokens) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int n = 1; n <= MAX_ORDER; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static BleuScore fromStatistics(long[] stats, boolean effectiveOrder, String signature) {
        long sysLen = stats[0];
        long refLen = stats[1];
        long[] correct = new long[MAX_ORDER];
        long[] total = new long[MAX_ORDER];
        System.arraycopy(stats, 2, correct, 0, MAX_ORDER);
        System.arraycopy(stats, 2 + MAX_ORDER, total, 0, MAX_ORDER);

        double bp = 1.0;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
        }
        double[] precisions = new double[MAX_ORDER];
        boolean anyMatch = false;
        for (long c : correct) {
            anyMatch |= c > 0;
        }
        if (!anyMatch) {
            return new BleuScore(0.0, precisions, correct, total, bp, sysLen, refLen, signature);
        }
        double smooth = 1.0;
        int effOrder = MAX_ORDER;
        for (int n = 1; n <= MAX_ORDER; n++) {
            if (total[n - 1] == 0) {
                break;
            }
            if (effectiveOrder) {
                effOrder = n;
            }
            if (correct[n - 1] == 0) {
                smooth *= 2;
                precisions[n - 1] = 100.0 / (smooth * total[n - 1]);
            } else {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
            }
        }
        double logSum = 0;
        for (int i = 0; i < effOrder; i++) {
            logSum += precisions[i] == 0.0 ? LOG_ZERO : Math.log(precisions[i]);
        }
        double score = bp * Math.exp(logSum / effOrder);
        return new BleuScore(score, precisions, correct, total, bp, sysLen, refLen, signature);
    }
}
