package nmt.model.attention;

import java.util.Locale;

/** Which source positions a query may look at (Luong et al. 2015, section 3.2). */
public enum Window {
    /** Every source position. */
    GLOBAL,
    /** Local-m: a window of ±D around p_t = t (monotonic alignment). */
    LOCAL_M,
    /** Local-p: a window of ±D around a predicted p_t = (S−1)·sigmoid(vᵀ tanh(W h_t)). */
    LOCAL_P;

    public static Window fromConfig(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none", "global" -> GLOBAL;
            case "local-m" -> LOCAL_M;
            case "local-p" -> LOCAL_P;
            default -> throw new IllegalArgumentException("unknown attention window " + name);
        };
    }
}
