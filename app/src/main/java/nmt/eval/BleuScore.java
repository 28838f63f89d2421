package nmt.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BLEU result with its sufficient statistics, formatted exactly as sacreBLEU prints it.
 *
 * @param score      BLEU in [0, 100]
 * @param precisions n-gram precisions in percent (orders 1..4, smoothed)
 * @param counts     matched n-grams per order
 * @param totals     hypothesis n-grams per order
 */
public record BleuScore(double score, double[] precisions, long[] counts, long[] totals,
                        double bp, long sysLen, long refLen, String signature) {

    public double ratio() {
        return refLen == 0 ? 0 : (double) sysLen / refLen;
    }

    /** sacreBLEU's verbose line: {@code BLEU = 34.56 65.4/40.1/27.3/19.2 (BP = 0.981 ratio = ...)}. */
    public String format() {
        StringBuilder precision = new StringBuilder();
        for (int i = 0; i < precisions.length; i++) {
            precision.append(i == 0 ? "" : "/").append(PythonText.fixed(precisions[i], 1));
        }
        return "BLEU = " + PythonText.fixed(score, 2) + " " + precision
                + " (BP = " + PythonText.fixed(bp, 3)
                + " ratio = " + PythonText.fixed(ratio(), 3)
                + " hyp_len = " + sysLen + " ref_len = " + refLen + ")";
    }

    /** The fields of sacreBLEU's JSON output. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "BLEU");
        m.put("score", score);
        m.put("precisions", precisions);
        m.put("counts", counts);
        m.put("totals", totals);
        m.put("bp", bp);
        m.put("ratio", ratio());
        m.put("sys_len", sysLen);
        m.put("ref_len", refLen);
        m.put("signature", signature);
        m.put("verbose_score", format());
        return m;
    }
}
