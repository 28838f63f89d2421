package nmt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam (or AdamW with decoupled weight decay) through PyTorch's fused update, with its moment
 * estimates readable and restorable: DJL's Adam keeps them private, so a checkpoint could not hold
 * them and a resumed run would restart the moments from zero.
 */
public final class CheckpointableAdam extends Optimizer {
    private static final String MEAN = "mean:";
    private static final String VARIANCE = "variance:";

    private final Tracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean decoupledWeightDecay;
    private final Map<String, NDArray> means = new ConcurrentHashMap<>();
    private final Map<String, NDArray> variances = new ConcurrentHashMap<>();

    /** Optimizer's builder, for the settings the base class keeps (weight decay, first update number). */
    private static final class Settings extends OptimizerBuilder<Settings> {
        @Override
        protected Settings self() {
            return this;
        }
    }

    /**
     * @param updatesDone updates already made with these moments (0 for a new run), so that the bias
     *                    correction and the learning-rate schedule continue where they were
     */
    public CheckpointableAdam(Tracker learningRate, float beta1, float beta2, float epsilon, float weightDecay,
                              boolean decoupledWeightDecay, int updatesDone) {
        super(new Settings().optWeightDecays(weightDecay).optBeginNumUpdate(updatesDone));
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        float rate = learningRate.getNewValue(parameterId, t);
        float biasCorrected = (float) (rate * Math.sqrt(1.0 - Math.pow(beta2, t)) / (1.0 - Math.pow(beta1, t)));
        NDArray mean = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight), rate,
                biasCorrected, getWeightDecay(), rescaleGrad, clipGrad, beta1, beta2, epsilon, true,
                decoupledWeightDecay);
    }

    /**
     * The moments of every parameter updated so far, named by the parameter's path in the block
     * (DJL's parameter ids are random per run, the paths are not).
     */
    public NDList state(PairList<String, Parameter> parameters) {
        NDList state = new NDList();
        for (Pair<String, Parameter> p : parameters) {
            NDArray mean = means.get(p.getValue().getId());
            if (mean != null) {
                mean.setName(MEAN + p.getKey());
                NDArray variance = variances.get(p.getValue().getId());
                variance.setName(VARIANCE + p.getKey());
                state.add(mean);
                state.add(variance);
            }
        }
        return state;
    }

    /** Takes over moments saved by {@link #state} (arrays that live as long as the model). */
    public void restore(NDList state, PairList<String, Parameter> parameters) {
        Map<String, String> ids = new HashMap<>();
        for (Pair<String, Parameter> p : parameters) {
            ids.put(p.getKey(), p.getValue().getId());
        }
        for (NDArray array : state) {
            String name = array.getName();
            boolean mean = name.startsWith(MEAN);
            String id = ids.get(name.substring((mean ? MEAN : VARIANCE).length()));
            if (id == null) {
                throw new IllegalStateException("optimizer state for unknown parameter " + name);
            }
            (mean ? means : variances).put(id, array);
        }
    }
}
