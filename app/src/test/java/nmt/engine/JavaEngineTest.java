package nmt.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java engine's operations give PyTorch's numbers; its memory is shared by views and reused safely. */
class JavaEngineTest {
    private NDManager java;
    private NDManager torch;

    @BeforeEach
    void setUp() {
        java = JavaEngine.INSTANCE.newBaseManager();
        torch = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void tearDown() {
        java.close();
        torch.close();
    }

    private static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** The same op on both engines, from the same values. */
    private void assertAddsLikePyTorch(Shape a, Shape b) {
        float[] x = random((int) a.size(), 1);
        float[] y = random((int) b.size(), 2);
        NDArray expected = torch.create(x, a).add(torch.create(y, b));
        NDArray actual = java.create(x, a).add(java.create(y, b));
        assertEquals(expected.getShape(), actual.getShape());
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 0f);
    }

    @Test
    void additionBroadcastsAsPyTorchDoes() {
        assertAddsLikePyTorch(new Shape(3, 4), new Shape(3, 4));
        assertAddsLikePyTorch(new Shape(3, 4), new Shape(4));
        assertAddsLikePyTorch(new Shape(3, 4), new Shape(3, 1));
        assertAddsLikePyTorch(new Shape(2, 3, 4), new Shape(3, 1));
        assertAddsLikePyTorch(new Shape(2, 1, 4), new Shape(3, 1));
        assertAddsLikePyTorch(new Shape(5), new Shape());
        assertThrows(IllegalArgumentException.class,
                () -> java.create(new float[6], new Shape(2, 3)).add(java.create(new float[2], new Shape(2))));
    }

    @Test
    void inPlaceAdditionWritesTheArrayAndItsViews() {
        NDArray scores = java.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        NDArray flat = scores.reshape(-1);
        NDArray result = scores.addi(java.create(new float[] {10, 20}, new Shape(2, 1)));
        assertSame(scores, result);
        assertArrayEquals(new float[] {11, 12, 13, 24, 25, 26}, flat.toFloatArray());
        assertEquals(new Shape(6), flat.getShape());
        assertEquals(new Shape(2, 1, 3), scores.expandDims(1).getShape());
        assertEquals(new Shape(2, 3, 1), scores.expandDims(-1).getShape());
        assertArrayEquals(new float[] {5.5f, 6, 6.5f, 12, 12.5f, 13}, scores.divi(2).toFloatArray());
        // A view outlives the array it was made from: the memory goes with the last of them.
        scores.close();
        assertArrayEquals(new float[] {5.5f, 6, 6.5f, 12, 12.5f, 13}, flat.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> flat.addi(java.create(new float[12], new Shape(2, 6))));
    }

    @Test
    void topKArgMaxAndMaxAgreeWithPyTorch() {
        float[] x = random(3 * 50, 3);
        x[7] = x[9] = 5f;
        x[60] = Float.NEGATIVE_INFINITY;
        Shape shape = new Shape(3, 50);
        NDList expected = torch.create(x, shape).topK(6, 1, true, true);
        NDList actual = java.create(x, shape).topK(6, -1, true, true);
        assertArrayEquals(expected.get(0).toFloatArray(), actual.get(0).toFloatArray(), 0f);
        assertEquals(DataType.INT64, actual.get(1).getDataType());
        // Equal values in index order.
        assertArrayEquals(new long[] {7, 9}, Arrays.copyOf(java.create(x, shape).topK(2, 1, true, true).get(1)
                .toLongArray(), 2));
        assertArrayEquals(expected.get(1).toType(DataType.INT64, false).toLongArray(), actual.get(1).toLongArray());
        assertArrayEquals(torch.create(x, shape).argMax(-1).toLongArray(), java.create(x, shape).argMax(-1).toLongArray());
        assertArrayEquals(new long[] {1}, java.create(new float[] {0, 5, 5}, new Shape(1, 3)).argMax(1).toLongArray());
        assertArrayEquals(torch.create(x, shape).max(new int[] {-1}).toFloatArray(),
                java.create(x, shape).max(new int[] {-1}).toFloatArray(), 0f);
        assertEquals(new Shape(3, 1), java.create(x, shape).max(new int[] {1}, true).getShape());
        // A row of -inf only still gives k entries.
        float[] dead = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        assertArrayEquals(new long[] {0, 1}, java.create(dead, new Shape(1, 3)).topK(2, 1, true, true).get(1)
                .toLongArray());
        assertThrows(UnsupportedOperationException.class, () -> java.create(x, shape).topK(2, 0, true, true));
    }

    @Test
    void typesRowsAndCopies() {
        NDArray ids = java.create(new int[] {3, 1, 2}).toType(DataType.INT64, false);
        assertArrayEquals(new long[] {3, 1, 2}, ids.toLongArray());
        assertArrayEquals(new int[] {3, 1, 2}, ids.toType(DataType.INT32, false).toIntArray());
        assertArrayEquals(new float[] {2.5f, -1}, java.create(new float[] {2.5f, -1}).toType(DataType.FLOAT32, true)
                .toFloatArray());
        assertArrayEquals(new long[] {2, -1}, java.create(new float[] {2.7f, -1.2f}).toType(DataType.INT64, false)
                .toLongArray());
        NDArray x = java.create(new float[] {0, 1, 10, 11, 20, 21}, new Shape(3, 2));
        JavaNDArray picked = (JavaNDArray) ((JavaNDArray) x).rows(new int[] {2, 0, 2});
        assertEquals(new Shape(3, 2), picked.getShape());
        assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21}, picked.toFloatArray());
        assertThrows(IndexOutOfBoundsException.class, () -> ((JavaNDArray) x).rows(new int[] {3}));
        NDArray copy = x.duplicate();
        x.addi(java.create(new float[] {1}));
        assertArrayEquals(new float[] {0, 1, 10, 11, 20, 21}, copy.toFloatArray());
        assertThrows(UnsupportedOperationException.class, x::exp);
        assertThrows(UnsupportedOperationException.class, () -> java.create(new boolean[] {true}));
    }

    @Test
    void recycledMemoryIsZeroedWhenZerosAreAskedFor() {
        Shape large = new Shape(300, 1024);
        NDArray dirty = java.create(large, DataType.FLOAT32);
        dirty.addi(java.create(new float[] {7}));
        dirty.close();
        NDArray zeros = java.zeros(large);
        float[] values = zeros.toFloatArray();
        for (float v : values) {
            assertEquals(0f, v);
        }
        assertEquals(5 << 20, DirectStorage.sizeClass((5 << 20) - 100));
        assertEquals(1024, DirectStorage.sizeClass(1000));
        assertEquals(7 << 18, DirectStorage.sizeClass((7 << 18) - 1));
    }

    @Test
    void aClosedArrayRefusesUseAndAnAttachedOneStillSaysWhatItLacks() {
        NDArray x = java.create(new float[] {1, 2, 3});
        NDArray view = x.reshape(3, 1);
        x.close();
        assertThrows(IllegalStateException.class, x::toFloatArray);
        assertThrows(IllegalStateException.class, () -> x.expandDims(0));
        assertArrayEquals(new float[] {1, 2, 3}, view.toFloatArray());
        NDManager sub = java.newSubManager();
        view.attach(sub);
        assertThrows(UnsupportedOperationException.class, () -> view.sub(view));
        sub.close();
        assertTrue(view.isReleased());
        float[] withNaN = {1, Float.NaN, 3};
        assertArrayEquals(torch.create(withNaN).argMax(0).toLongArray(), java.create(withNaN).argMax(0).toLongArray());
    }

    @Test
    void closingTheManagerReleasesItsArrays() {
        NDManager sub = java.newSubManager();
        NDArray a = sub.create(new float[] {1, 2});
        NDArray moved = java.create(new float[] {3});
        moved.attach(sub);
        sub.close();
        assertTrue(a.isReleased());
        assertTrue(moved.isReleased());
        assertSame(JavaEngine.INSTANCE, java.getEngine());
        assertEquals(Device.cpu(), java.getDevice());
    }
}
