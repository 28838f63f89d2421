package nmt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Scales all gradients together so that their global L2 norm is at most a bound (DJL clips per
 * element only); also clears them when an update has to be skipped.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * @param scope per-batch manager that takes the gradient handles, so none outlives the batch
     * @return the global norm before clipping
     */
    public static float clip(PairList<String, Parameter> parameters, float maxNorm, NDManager scope) {
        List<NDArray> gradients = gradients(parameters, scope);
        NDArray squares = null;
        for (NDArray g : gradients) {
            NDArray s = g.square().sum();
            squares = squares == null ? s : squares.add(s);
        }
        if (squares == null) {
            return 0f;
        }
        float norm = (float) Math.sqrt(squares.getFloat());
        if (maxNorm > 0 && norm > maxNorm && Float.isFinite(norm)) {
            float factor = maxNorm / (norm + 1e-6f);
            for (NDArray g : gradients) {
                g.muli(factor);
            }
        }
        return norm;
    }

    /** Sets every gradient to 0 (NaN-safe, unlike multiplying by 0). */
    public static void zero(PairList<String, Parameter> parameters, NDManager scope) {
        for (NDArray g : gradients(parameters, scope)) {
            g.set(new NDIndex("..."), 0f);
        }
    }

    /** Gradient handles, attached to {@code scope} so that none outlives the batch. */
    private static List<NDArray> gradients(PairList<String, Parameter> parameters, NDManager scope) {
        List<NDArray> gradients = new ArrayList<>();
        for (Pair<String, Parameter> p : parameters) {
            NDArray array = p.getValue().getArray();
            if (p.getValue().requiresGradient() && array.hasGradient()) {
                NDArray g = array.getGradient();
                g.attach(scope);
                gradients.add(g);
            }
        }
        return gradients;
    }
}
