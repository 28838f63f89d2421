package nmt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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
     * Clips on the device, reading nothing back and copying nothing there (as PyTorch's
     * clip_grad_norm_ does): the factor min(1, maxNorm / (norm + 1e-6)) multiplies every gradient,
     * which leaves them unchanged when the norm is within the bound; a non-finite norm spoils them,
     * and the caller then zeroes them.
     *
     * @param maxNorm the bound; 0 or less only measures
     * @param scope per-batch manager that takes the gradient handles, so none outlives the batch
     * @return the global norm before clipping, as a scalar on the device
     */
    public static NDArray clip(PairList<String, Parameter> parameters, float maxNorm, NDManager scope) {
        List<NDArray> gradients = gradients(parameters, scope);
        NDArray squares = null;
        for (NDArray g : gradients) {
            NDArray s = g.square().sum();
            squares = squares == null ? s : squares.add(s);
        }
        if (squares == null) {
            return scope.zeros(new Shape());
        }
        NDArray norm = squares.sqrt();
        if (maxNorm > 0) {
            // Constants filled on the device: DJL copies one made from a Java number there, and on a GPU
            // that copy waits for all queued work.
            NDArray bound = scope.full(new Shape(), maxNorm);
            NDArray factor = bound.div(norm.add(scope.full(new Shape(), 1e-6f))).minimum(scope.ones(new Shape()));
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
