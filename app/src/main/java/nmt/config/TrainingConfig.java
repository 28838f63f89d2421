package nmt.config;

import java.util.List;

/**
 * How the model is fitted.
 *
 * @param optimizer      "adam" (default), "adamw", "sgd", "adagrad", "rmsprop" or "adadelta"
 * @param learningRate   peak learning rate (default 0.001)
 * @param schedule       "constant" (default), "noam" or "plateau"
 * @param warmupSteps    warm-up updates for "noam" (default 4000)
 * @param labelSmoothing ε in [0, 1) (default 0.1)
 * @param batchTokens    tokens per batch, the longer side counted with padding (default 2048)
 * @param epochs         passes over the training data (default 10)
 * @param seed           seed for shuffling and initialisation (default 42)
 */
public record TrainingConfig(String optimizer, Double learningRate, String schedule, Integer warmupSteps,
                             Double labelSmoothing, Integer batchTokens, Integer epochs, Long seed) {
    public static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd", "adagrad", "rmsprop", "adadelta");
    public static final List<String> SCHEDULES = List.of("constant", "noam", "plateau");

    public TrainingConfig {
        optimizer = optimizer == null ? "adam" : optimizer;
        learningRate = learningRate == null ? 0.001 : learningRate;
        schedule = schedule == null ? "constant" : schedule;
        warmupSteps = warmupSteps == null ? 4000 : warmupSteps;
        labelSmoothing = labelSmoothing == null ? 0.1 : labelSmoothing;
        batchTokens = batchTokens == null ? 2048 : batchTokens;
        epochs = epochs == null ? 10 : epochs;
        seed = seed == null ? 42L : seed;
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(null, null, null, null, null, null, null, null);
    }

    void validate(String path) {
        Check.oneOf(optimizer, OPTIMIZERS, path + ".optimizer");
        Check.positive(learningRate, path + ".learning_rate");
        Check.oneOf(schedule, SCHEDULES, path + ".schedule");
        Check.atLeast(warmupSteps, 1, path + ".warmup_steps");
        Check.inHalfOpen(labelSmoothing, 0, 1, path + ".label_smoothing");
        Check.atLeast(batchTokens, 1, path + ".batch_tokens");
        Check.atLeast(epochs, 1, path + ".epochs");
    }
}
