package nmt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import nmt.data.Batch;
import nmt.model.Inputs;
import nmt.model.Seq2Seq;

/**
 * One optimizer update on one batch, inside its own NDManager that is closed at the end, so
 * native memory does not grow with the number of updates. The loss and the gradient norm come back
 * to the host in one transfer, after clipping has been done on the device: on a GPU every read
 * waits for all the work queued before it.
 */
public final class Updater {
    private final Trainer trainer;
    private final Seq2Seq model;
    private final float clipNorm;
    private final boolean timed;
    private long forwardNanos;
    private long backwardNanos;
    private long optimizerNanos;
    private float lastNorm;

    private Updater(Trainer trainer, Seq2Seq model, float clipNorm, boolean timed) {
        this.trainer = trainer;
        this.model = model;
        this.clipNorm = clipNorm;
        this.timed = timed;
    }

    public static Updater of(Trainer trainer, Seq2Seq model, float clipNorm) {
        return new Updater(trainer, model, clipNorm, false);
    }

    /**
     * An updater that also books the time of each phase. It waits for the device at each phase
     * boundary (on a GPU kernels run after the call that queued them returns), which costs a little
     * speed there; on a CPU PyTorch runs each op before returning and the waits are free.
     */
    public static Updater timed(Trainer trainer, Seq2Seq model, float clipNorm) {
        return new Updater(trainer, model, clipNorm, true);
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
            long t0 = clock(source);
            NDArray loss;
            long t1;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(new NDList(source, lengths, targetIn));
                loss = trainer.getLoss().evaluate(new NDList(targetOut), logits);
                t1 = clock(loss);
                collector.backward(loss);
            }
            long t2 = clock(loss);
            if (timed) {
                forwardNanos += t1 - t0;
                backwardNanos += t2 - t1;
            }
            NDArray norm = GradientClipping.clip(model.getParameters(), clipNorm, manager);
            float[] read = NDArrays.stack(new NDList(loss.reshape(1), norm.reshape(1))).toFloatArray();
            lastNorm = read[1];
            if (!Float.isFinite(read[0]) || !Float.isFinite(lastNorm)) {
                GradientClipping.zero(model.getParameters(), manager);
                return Float.isFinite(read[0]) ? lastNorm : read[0];
            }
            trainer.step();
            if (timed) {
                optimizerNanos += clock(norm) - t2;
            }
            return read[0];
        }
    }

    /**
     * In a timed updater, the time once the device has run everything queued so far: reading any
     * value back waits for that, since PyTorch copies to the host on the stream the kernels run on.
     */
    private long clock(NDArray onDevice) {
        if (!timed) {
            return 0;
        }
        onDevice.reshape(-1).get(0).toArray();
        return System.nanoTime();
    }

    /** Global gradient norm of the last update, before clipping. */
    public float lastGradientNorm() {
        return lastNorm;
    }

    public long forwardNanos() {
        requireTimed();
        return forwardNanos;
    }

    public long backwardNanos() {
        requireTimed();
        return backwardNanos;
    }

    public long optimizerNanos() {
        requireTimed();
        return optimizerNanos;
    }

    private void requireTimed() {
        if (!timed) {
            throw new IllegalStateException("this updater books no times: make it with Updater.timed");
        }
    }

    public void resetTimes() {
        forwardNanos = 0;
        backwardNanos = 0;
        optimizerNanos = 0;
    }
}
