package nmt.train;

import ai.djl.training.tracker.Tracker;
import nmt.config.TrainingConfig;

/**
 * The learning rate per update: constant; "noam", lr · d^−0.5 · min(step^−0.5, step · warmup^−1.5)
 * (Vaswani et al. 2017, with lr as the factor); "plateau", cut by a factor whenever the dev score
 * stops improving; or "linear", lr · min(1, step / warmup) · (1 − spent), where spent is the share
 * of the run's budget used so far: its updates over all epochs' or its time over max_minutes,
 * whichever is larger (Li et al. 2020 found linear decay the best use of a fixed budget). Never below the configured minimum.
 * DJL's trackers have no schedule that follows the dev score or the clock, hence this class.
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
    private double totalUpdates = Double.POSITIVE_INFINITY;
    private double maxSeconds;
    private double elapsedSeconds;

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
        double step = Math.max(1, numUpdate);
        float lr = switch (kind) {
            case "noam" -> (float) (base * Math.pow(modelDim, -0.5)
                    * Math.min(Math.pow(step, -0.5), step * Math.pow(warmup, -1.5)));
            case "plateau" -> current;
            case "linear" -> {
                double warm = warmup == 0 ? 1 : Math.min(1, step / warmup);
                double spent = Math.max(step / totalUpdates, maxSeconds > 0 ? elapsedSeconds / maxSeconds : 0);
                yield (float) (base * warm * Math.max(0, 1 - spent));
            }
            default -> base;
        };
        return Math.max(lr, minimum);
    }

    /**
     * Where a "linear" schedule reaches its minimum: after this many updates, or this much training
     * time (0: no time limit), whichever comes first.
     */
    public void budget(int updates, double seconds) {
        totalUpdates = updates;
        maxSeconds = seconds;
    }

    /** The training time so far, which a "linear" schedule with a time budget follows. */
    public void elapsed(double seconds) {
        elapsedSeconds = seconds;
    }

    /** The plateau schedule's current rate, which a checkpoint keeps. */
    public float current() {
        return current;
    }

    public void restore(float rate) {
        current = rate;
    }

    /** After a validation: a plateau schedule cuts the rate once the dev score has not gained for its patience. */
    void onValidation(DevProgress dev) {
        if ("plateau".equals(kind) && dev.sinceCut() >= patience) {
            current = Math.max(current * factor, minimum);
            dev.cut();
        }
    }
}
