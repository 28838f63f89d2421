package nmt.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import nmt.config.TrainingConfig;

/**
 * The optimizers named in the config: Adam and AdamW keep moments a checkpoint can hold
 * ({@link CheckpointableAdam}); the others are DJL's and restart their state when a run resumes.
 */
public final class Optimizers {
    private Optimizers() {
    }

    /** @param updatesDone updates a resumed run has already made (0 for a new run) */
    public static Optimizer create(TrainingConfig c, Tracker learningRate, int updatesDone) {
        float decay = c.weightDecay().floatValue();
        return switch (c.optimizer()) {
            case "adam", "adamw" -> new CheckpointableAdam(learningRate, c.beta1().floatValue(), c.beta2().floatValue(),
                    c.epsilon().floatValue(), decay, "adamw".equals(c.optimizer()), updatesDone);
            case "sgd" -> c.nesterov()
                    ? Optimizer.nag().setLearningRateTracker(learningRate).setMomentum(c.momentum().floatValue())
                            .optWeightDecays(decay).optBeginNumUpdate(updatesDone).build()
                    : Optimizer.sgd().setLearningRateTracker(learningRate).optMomentum(c.momentum().floatValue())
                            .optWeightDecays(decay).optBeginNumUpdate(updatesDone).build();
            case "adagrad" -> Optimizer.adagrad().optLearningRateTracker(learningRate)
                    .optEpsilon(c.epsilon().floatValue()).optWeightDecays(decay).optBeginNumUpdate(updatesDone).build();
            case "rmsprop" -> Optimizer.rmsprop().optLearningRateTracker(learningRate)
                    .optEpsilon(c.epsilon().floatValue()).optWeightDecays(decay).optBeginNumUpdate(updatesDone).build();
            case "adadelta" -> Optimizer.adadelta().optEpsilon(c.epsilon().floatValue()).optWeightDecays(decay)
                    .optBeginNumUpdate(updatesDone).build();
            default -> throw new IllegalStateException(c.optimizer());
        };
    }
}
