package nmt.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import nmt.config.TrainingConfig;

/** DJL's optimizers, as named in the config. */
public final class Optimizers {
    private Optimizers() {
    }

    public static Optimizer create(TrainingConfig c, Tracker learningRate) {
        float decay = c.weightDecay().floatValue();
        return switch (c.optimizer()) {
            case "adam" -> Optimizer.adam().optLearningRateTracker(learningRate).optBeta1(c.beta1().floatValue())
                    .optBeta2(c.beta2().floatValue()).optEpsilon(c.epsilon().floatValue()).optWeightDecays(decay).build();
            case "adamw" -> Optimizer.adamW().optLearningRateTracker(learningRate).optBeta1(c.beta1().floatValue())
                    .optBeta2(c.beta2().floatValue()).optEpsilon(c.epsilon().floatValue()).optWeightDecays(decay).build();
            case "sgd" -> c.nesterov()
                    ? Optimizer.nag().setLearningRateTracker(learningRate).setMomentum(c.momentum().floatValue())
                            .optWeightDecays(decay).build()
                    : Optimizer.sgd().setLearningRateTracker(learningRate).optMomentum(c.momentum().floatValue())
                            .optWeightDecays(decay).build();
            case "adagrad" -> Optimizer.adagrad().optLearningRateTracker(learningRate)
                    .optEpsilon(c.epsilon().floatValue()).optWeightDecays(decay).build();
            case "rmsprop" -> Optimizer.rmsprop().optLearningRateTracker(learningRate)
                    .optEpsilon(c.epsilon().floatValue()).optWeightDecays(decay).build();
            case "adadelta" -> Optimizer.adadelta().optEpsilon(c.epsilon().floatValue()).optWeightDecays(decay).build();
            default -> throw new IllegalStateException(c.optimizer());
        };
    }
}
