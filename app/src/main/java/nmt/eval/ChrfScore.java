package nmt.eval;

/**
 * A chrF2 result, formatted as sacreBLEU prints it.
 *
 * @param score chrF2 in [0, 100]
 */
public record ChrfScore(double score, String signature) {
    public String format() {
        return "chrF2 = " + PythonText.fixed(score, 2);
    }
}
