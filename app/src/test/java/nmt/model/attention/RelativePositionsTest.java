package nmt.model.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class RelativePositionsTest {
    @Test
    void distancesAreClippedToTheLargestOne() {
        RelativePositions relative = new RelativePositions(2, 4);
        // Queries at positions 2 and 3 against keys 0..4, k = 2: buckets are clip(j − i, −2, 2) + 2.
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 0, 0, 1, 2, 3}, relative.buckets(2, 2, 5));
        // A cached step: the query at position 7 against keys 0..7.
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 2}, relative.buckets(7, 1, 8));
    }

    /** d_k = 2, k = 1, one head; queries at positions 1 and 2, keys at 0..2, computed by hand in plain Java. */
    @Test
    void attentionEqualsADirectComputation() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            RelativePositions relative = new RelativePositions(1, 2);
            relative.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            float[][] keyTable = {{0.5f, -1f}, {0f, 0.25f}, {1f, 1f}};
            float[][] valueTable = {{-0.5f, 0f}, {0.1f, 0.2f}, {2f, -1f}};
            relative.getParameters().get(0).getValue().getArray().set(flat(keyTable));
            relative.getParameters().get(1).getValue().getArray().set(flat(valueTable));
            float[][] q = {{1f, 2f}, {-1f, 0.5f}};
            float[][] k = {{0.3f, -0.2f}, {1f, 0f}, {-0.4f, 0.6f}};
            float[][] v = {{1f, 0f}, {0f, 1f}, {0.5f, 0.5f}};
            AttentionResult result = relative.attend(new ParameterStore(manager, false),
                    manager.create(flat(q), new Shape(1, 1, 2, 2)), manager.create(flat(k), new Shape(1, 1, 3, 2)),
                    manager.create(flat(v), new Shape(1, 1, 3, 2)), null, 1, false, w -> w);
            float[] context = result.context().toFloatArray();
            float[] weights = result.weights().toFloatArray();
            assertEquals(new Shape(1, 1, 2, 2), result.context().getShape());
            for (int i = 0; i < 2; i++) {
                double[] scores = new double[3];
                double total = 0;
                for (int j = 0; j < 3; j++) {
                    int bucket = Math.max(-1, Math.min(1, j - (1 + i))) + 1;
                    scores[j] = Math.exp((dot(q[i], k[j]) + dot(q[i], keyTable[bucket])) / Math.sqrt(2));
                    total += scores[j];
                }
                double[] out = new double[2];
                for (int j = 0; j < 3; j++) {
                    int bucket = Math.max(-1, Math.min(1, j - (1 + i))) + 1;
                    double alpha = scores[j] / total;
                    assertEquals(alpha, weights[i * 3 + j], 1e-5, "weight " + i + "," + j);
                    for (int d = 0; d < 2; d++) {
                        out[d] += alpha * (v[j][d] + valueTable[bucket][d]);
                    }
                }
                assertEquals(out[0], context[i * 2], 1e-5);
                assertEquals(out[1], context[i * 2 + 1], 1e-5);
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[0].length, rows[0].length);
        }
        return out;
    }
}
