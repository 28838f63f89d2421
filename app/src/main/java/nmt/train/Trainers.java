package nmt.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.optimizer.Optimizer;
import java.nio.file.Path;
import nmt.config.Config;
import nmt.model.Seq2Seq;

/** A DJL trainer for a translation model: loss, optimizer, initial weights, parameters allocated. */
public final class Trainers {
    private Trainers() {
    }

    /**
     * Weights start Xavier-uniform: DJL's default (magnitude 6) for the RNN models, which trains
     * them much faster here than Glorot's bound (toy corpus, Bahdanau: loss 4.9 against 6.2 after
     * 100 updates); the Transformer gets Glorot's √(6/(fan_in+fan_out)) as in Vaswani et al.
     */
    /**
     * @param weights a directory holding saved parameters to start from (a checkpoint or a trained
     *                model), or null for random ones; they must be in place before the trainer
     *                initializes, which hands the parameter arrays to its store for good
     */
    public static Trainer create(Model model, Seq2Seq block, Config config, Optimizer optimizer,
                                 Device device, Path weights) {
        model.setBlock(block);
        if (weights != null) {
            Checkpoints.loadParameters(weights, model);
        }
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(
                new LabelSmoothedCrossEntropy(config.training().labelSmoothing()))
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device});
        if ("transformer".equals(config.model().type())) {
            trainingConfig.optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                    XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
        }
        Trainer trainer = model.newTrainer(trainingConfig);
        trainer.initialize(new Shape(1, 1), new Shape(1), new Shape(1, 1));
        return trainer;
    }
}
