package nmt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import nmt.data.Batch;
import nmt.model.Inputs;
import nmt.model.Seq2Seq;

/**
 * One optimizer update on one batch, inside its own NDManager that is closed at the end, so
 * native memory does not grow with the number of updates. Keeps the time spent in each phase
 * (PyTorch CPU ops run synchronously, so wall-clock brackets are exact there).
 */
public final class Updater {
    private final Trainer trainer;
    private final Seq2Seq model;
    private final float clipNorm;
    private long forwardNanos;
    private long backwardNanos;
    private long optimizerNanos;
    private float lastNorm;

    public Updater(Trainer trainer, Seq2Seq model, float clipNorm) {
        this.trainer = trainer;
        this.model = model;
        this.clipNorm = clipNorm;
    }

    /**
     * @return the batch's mean loss per target token; NaN or infinite when the loss or the gradients
     *     were not finite, in which case the parameters were left unchanged
     */
    public float update(Batch batch) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray source = Inputs.ids(manager, batch.source(), batch.size(), batch.sourceLength());
            NDArray lengths = Inputs.lengths(manager, batch.sourceLengths());
            NDArray targetIn = Inputs.ids(manager, batch.targetInput(), batch.size(), batch.targetLength());
            NDArray targetOut = Inputs.ids(manager, batch.targetOutput(), batch.size(), batch.targetLength());
            float loss;
            long t0 = System.nanoTime();
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(new NDList(source, lengths, targetIn));
                NDArray value = trainer.getLoss().evaluate(new NDList(targetOut), logits);
                loss = value.getFloat();
                long t1 = System.nanoTime();
                forwardNanos += t1 - t0;
                collector.backward(value);
                backwardNanos += System.nanoTime() - t1;
            }
            long t2 = System.nanoTime();
            lastNorm = GradientClipping.clip(model.getParameters(), clipNorm, manager);
            if (!Float.isFinite(loss) || !Float.isFinite(lastNorm)) {
                GradientClipping.zero(model.getParameters(), manager);
                return Float.isFinite(loss) ? lastNorm : loss;
            }
            trainer.step();
            optimizerNanos += System.nanoTime() - t2;
            return loss;
        }
    }

    /** Global gradient norm of the last update, before clipping. */
    public float lastGradientNorm() {
        return lastNorm;
    }

    public long forwardNanos() {
        return forwardNanos;
    }

    public long backwardNanos() {
        return backwardNanos;
    }

    public long optimizerNanos() {
        return optimizerNanos;
    }

    public void resetTimes() {
        forwardNanos = 0;
        backwardNanos = 0;
        optimizerNanos = 0;
    }
}
