package nmt.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import nmt.config.TrainingConfig;
import nmt.model.TranslationModel;

/** A DJL trainer for a translation model: loss, optimizer, Xavier-uniform weights, parameters allocated. */
public final class Trainers {
    private Trainers() {
    }

    public static Trainer create(Model model, TranslationModel block, TrainingConfig config, Schedule schedule,
                                 Device device) {
        model.setBlock(block);
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(
                new LabelSmoothedCrossEntropy(config.labelSmoothing()))
                .optOptimizer(Optimizers.create(config, schedule))
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                        XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT)
                .optDevices(new Device[] {device});
        Trainer trainer = model.newTrainer(trainingConfig);
        trainer.initialize(new Shape(1, 1), new Shape(1), new Shape(1, 1));
        return trainer;
    }
}
