package nmt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import nmt.engine.Engines;
import org.junit.jupiter.api.Test;

/**
 * Hand computation, V = 4 with id 0 as {@code <pad>}: logits (0, 1, 2, 3) with reference 2 give
 * log p = x − log Σ eˣ, and with ε = 0.1 the loss −(0.9 log p₂ + 0.05 (log p₁ + log p₃)) = 1.44018970;
 * logits (1, −1, 0.5, 2) with reference 3 give 0.72018190. The third position is padding.
 */
class LabelSmoothedCrossEntropyTest {
    @Test
    void matchesTheHandComputation() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray logits = m.create(new float[] {0, 1, 2, 3, 1, -1, 0.5f, 2, 9, 9, 9, 9}, new Shape(1, 3, 4));
            NDArray targets = m.create(new int[] {2, 3, 0}, new Shape(1, 3));
            LabelSmoothedCrossEntropy smoothed = new LabelSmoothedCrossEntropy(0.1);
            assertArrayEquals(new float[] {1.4401897f, 0.7201819f, 0f},
                    smoothed.tokenLosses(targets, logits).toFloatArray(), 1e-6f);
            assertEquals(1.0801858f, smoothed.evaluate(new NDList(targets), new NDList(logits)).getFloat(), 1e-6f);

            LabelSmoothedCrossEntropy plain = new LabelSmoothedCrossEntropy(0);
            assertArrayEquals(new float[] {1.4401897f, 0.4951819f, 0f},
                    plain.tokenLosses(targets, logits).toFloatArray(), 1e-6f);
        }
    }
}
