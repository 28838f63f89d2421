package nmt.config;

import java.util.List;

/**
 * How the model is fitted.
 *
 * @param optimizer          "adam" (default), "adamw", "sgd", "adagrad", "rmsprop" or "adadelta"
 * @param learningRate       learning rate; for "noam" the factor in front of the formula (default 0.001)
 * @param schedule           "constant" (default), "noam", "plateau" or "linear"
 * @param warmupSteps        warm-up updates for "noam" (at least 1) and "linear" (0: none) (default 4000)
 * @param plateauFactor      "plateau" multiplies the rate by this when the dev score stalls (default 0.5)
 * @param plateauPatience    validations without improvement before "plateau" cuts the rate (default 2)
 * @param minLearningRate    the rate never goes below this (default 1e-6)
 * @param beta1              Adam β1 (default 0.9)
 * @param beta2              Adam β2 (default 0.999)
 * @param epsilon            Adam/AdaGrad/RMSProp/AdaDelta ε (default 1e-8)
 * @param momentum           SGD momentum (default 0)
 * @param nesterov           SGD with Nesterov momentum (default false)
 * @param weightDecay        L2 weight decay (default 0)
 * @param clipGradNorm       clip gradients to this global L2 norm; 0 turns clipping off (default 1.0)
 * @param labelSmoothing     ε in [0, 1) (default 0.1)
 * @param batchTokens        tokens per batch, the longer side counted with padding (default 2048)
 * @param epochs             passes over the training data (default 10)
 * @param validationFreq     validate on dev every this many updates, and at the end (default 1000)
 * @param patience           stop after this many validations without a better dev BLEU; 0 never stops early (default 5)
 * @param logFreq            log a progress line every this many updates (default 100)
 * @param seed               seed for shuffling, initialisation and dropout (default 42)
 * @param maxNonfiniteUpdates stop after this many updates in a row with a non-finite loss or gradient;
 *                           each is skipped (default 10)
 * @param checkpointFreq     save a resumable checkpoint every this many updates (default: validationFreq)
 * @param keepCheckpoints    how many of the latest checkpoints are kept (default 2)
 * @param maxMinutes         stop after the update that passes this much training time (validations included,
 *                           counted across --resume), then validate and test as at the end; 0 is no limit
 *                           (default 0)
 * @param maxUpdates         stop after this many updates (counted across --resume), then validate and test as at
 *                           the end; the same work on any machine, unlike max_minutes; 0 is no limit (default 0)
 * @param matmulPrecision    PyTorch's float32 matmul precision: "highest" (default), "high" (TF32 on NVIDIA GPUs
 *                           from Ampere on) or "medium" (bf16); needs an engine built by app/scripts/local-torch.sh
 */
public record TrainingConfig(String optimizer, Double learningRate, String schedule, Integer warmupSteps,
                             Double plateauFactor, Integer plateauPatience, Double minLearningRate, Double beta1,
                             Double beta2, Double epsilon, Double momentum, Boolean nesterov, Double weightDecay,
                             Double clipGradNorm, Double labelSmoothing, Integer batchTokens, Integer epochs,
                             Integer validationFreq, Integer patience, Integer logFreq, Long seed,
                             Integer maxNonfiniteUpdates, Integer checkpointFreq, Integer keepCheckpoints,
                             Double maxMinutes, Integer maxUpdates, String matmulPrecision) {
    public static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd", "adagrad", "rmsprop", "adadelta");
    public static final List<String> SCHEDULES = List.of("constant", "noam", "plateau", "linear");
    public static final List<String> MATMUL_PRECISIONS = List.of("highest", "high", "medium");

    public TrainingConfig {
        optimizer = optimizer == null ? "adam" : optimizer;
        learningRate = learningRate == null ? 0.001 : learningRate;
        schedule = schedule == null ? "constant" : schedule;
        warmupSteps = warmupSteps == null ? 4000 : warmupSteps;
        plateauFactor = plateauFactor == null ? 0.5 : plateauFactor;
        plateauPatience = plateauPatience == null ? 2 : plateauPatience;
        minLearningRate = minLearningRate == null ? 1e-6 : minLearningRate;
        beta1 = beta1 == null ? 0.9 : beta1;
        beta2 = beta2 == null ? 0.999 : beta2;
        epsilon = epsilon == null ? 1e-8 : epsilon;
        momentum = momentum == null ? 0.0 : momentum;
        nesterov = nesterov != null && nesterov;
        weightDecay = weightDecay == null ? 0.0 : weightDecay;
        clipGradNorm = clipGradNorm == null ? 1.0 : clipGradNorm;
        labelSmoothing = labelSmoothing == null ? 0.1 : labelSmoothing;
        batchTokens = batchTokens == null ? 2048 : batchTokens;
        epochs = epochs == null ? 10 : epochs;
        validationFreq = validationFreq == null ? 1000 : validationFreq;
        patience = patience == null ? 5 : patience;
        logFreq = logFreq == null ? 100 : logFreq;
        seed = seed == null ? 42L : seed;
        maxNonfiniteUpdates = maxNonfiniteUpdates == null ? 10 : maxNonfiniteUpdates;
        checkpointFreq = checkpointFreq == null ? validationFreq : checkpointFreq;
        keepCheckpoints = keepCheckpoints == null ? 2 : keepCheckpoints;
        maxMinutes = maxMinutes == null ? 0.0 : maxMinutes;
        maxUpdates = maxUpdates == null ? 0 : maxUpdates;
        matmulPrecision = matmulPrecision == null ? "highest" : matmulPrecision;
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    void validate(String path) {
        Check.oneOf(optimizer, OPTIMIZERS, path + ".optimizer");
        Check.positive(learningRate, path + ".learning_rate");
        Check.oneOf(schedule, SCHEDULES, path + ".schedule");
        Check.atLeast(warmupSteps, "noam".equals(schedule) ? 1 : 0, path + ".warmup_steps");
        Check.inOpenClosed(plateauFactor, 0, 1, path + ".plateau_factor");
        Check.atLeast(plateauPatience, 1, path + ".plateau_patience");
        Check.atLeast(minLearningRate, 0, path + ".min_learning_rate");
        Check.inHalfOpen(beta1, 0, 1, path + ".beta1");
        Check.inHalfOpen(beta2, 0, 1, path + ".beta2");
        Check.positive(epsilon, path + ".epsilon");
        Check.inHalfOpen(momentum, 0, 1, path + ".momentum");
        Check.atLeast(weightDecay, 0, path + ".weight_decay");
        Check.atLeast(clipGradNorm, 0, path + ".clip_grad_norm");
        Check.inHalfOpen(labelSmoothing, 0, 1, path + ".label_smoothing");
        Check.atLeast(batchTokens, 1, path + ".batch_tokens");
        Check.atLeast(epochs, 1, path + ".epochs");
        Check.atLeast(validationFreq, 1, path + ".validation_freq");
        Check.atLeast(patience, 0, path + ".patience");
        Check.atLeast(logFreq, 1, path + ".log_freq");
        Check.atLeast(maxNonfiniteUpdates, 1, path + ".max_nonfinite_updates");
        Check.atLeast(checkpointFreq, 1, path + ".checkpoint_freq");
        Check.atLeast(keepCheckpoints, 1, path + ".keep_checkpoints");
        Check.atLeast(maxMinutes, 0, path + ".max_minutes");
        Check.atLeast(maxUpdates, 0, path + ".max_updates");
        Check.oneOf(matmulPrecision, MATMUL_PRECISIONS, path + ".matmul_precision");
    }
}
