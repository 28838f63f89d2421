package nmt.train;

import ai.djl.training.tracker.Tracker;
import nmt.config.TrainingConfig;

/**
 * The learning rate per update: constant; "noam", lr · d^−0.5 · min(step^−0.5, step · warmup^−1.5)
 * (Vaswani et al. 2017, with lr as the factor); or "plateau", cut by a factor whenever the dev
 * score stops improving. Never below the configured minimum.
 */
public final class Schedule implements Tracker {
    private final String kind;
    private final float base;
    private final float minimum;
    private final int warmup;
    private final double modelDim;
    private final float factor;
    private final int patience;
    private float current;
    private double best = Double.NEGATIVE_INFINITY;
    private int bad;

    public Schedule(TrainingConfig config, int modelDim) {
        this.kind = config.schedule();
        this.base = config.learningRate().floatValue();
        this.minimum = config.minLearningRate().floatValue();
        this.warmup = config.warmupSteps();
        this.modelDim = modelDim;
        this.factor = config.plateauFactor().floatValue();
        this.patience = config.plateauPatience();
        this.current = base;
    }

    @Override
    public float getNewValue(int numUpdate) {
        float lr = switch (kind) {
            case "noam" -> {
                double step = Math.max(1, numUpdate);
                yield (float) (base * Math.pow(modelDim, -0.5) * Math.min(Math.pow(step, -0.5), step * Math.pow(warmup, -1.5)));
            }
            case "plateau" -> current;
            default -> base;
        };
        return Math.max(lr, minimum);
    }

    /**
     * What a checkpoint keeps of the schedule: the plateau rate, the best dev score (null before the
     * first validation) and the validations since it improved.
     */
    public record State(float current, Double best, int bad) {
    }

    public State state() {
        return new State(current, best == Double.NEGATIVE_INFINITY ? null : best, bad);
    }

    public void restore(State state) {
        current = state.current();
        best = state.best() == null ? Double.NEGATIVE_INFINITY : state.best();
        bad = state.bad();
    }

    /** Tells a plateau schedule the latest dev score (higher is better). */
    public void onValidation(double score) {
        if (score > best) {
            best = score;
            bad = 0;
        } else if (++bad >= patience && "plateau".equals(kind)) {
            current = Math.max(current * factor, minimum);
            bad = 0;
        }
    }
}
