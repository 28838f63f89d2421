package nmt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import nmt.engine.Engines;
import org.junit.jupiter.api.Test;

/** The global norm and the clipped gradients, computed on the device, against hand-computed values. */
class GradientClippingTest {
    /** Two parameters whose gradients are (3, 0) and (4) times {@code scale}: global norm 5 x scale. */
    private static PairList<String, Parameter> parameters(NDManager manager, float scale) {
        Parameter a = Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT).build();
        Parameter b = Parameter.builder().setName("b").setType(Parameter.Type.WEIGHT).build();
        a.setArray(manager.create(new float[] {1, 2}));
        b.setArray(manager.create(new float[] {1}));
        a.getArray().setRequiresGradient(true);
        b.getArray().setRequiresGradient(true);
        try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
            NDArray loss = a.getArray().mul(manager.create(new float[] {3 * scale, 0})).sum()
                    .add(b.getArray().mul(4 * scale).sum());
            collector.backward(loss);
        }
        PairList<String, Parameter> list = new PairList<>();
        list.add("a", a);
        list.add("b", b);
        return list;
    }

    @Test
    void aNormAboveTheBoundScalesEveryGradientToIt() {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            PairList<String, Parameter> params = parameters(manager, 2);
            NDArray norm = GradientClipping.clip(params, 1f, manager);
            assertEquals(10f, norm.getFloat(), 1e-6f);
            float factor = 1f / (10f + 1e-6f);
            assertArrayEquals(new float[] {6 * factor, 0}, params.get(0).getValue().getArray().getGradient().toFloatArray(), 1e-7f);
            assertArrayEquals(new float[] {8 * factor}, params.get(1).getValue().getArray().getGradient().toFloatArray(), 1e-7f);
        }
    }

    @Test
    void aNormWithinTheBoundLeavesTheGradientsBitForBit() {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            PairList<String, Parameter> params = parameters(manager, 0.1f);
            NDArray norm = GradientClipping.clip(params, 1f, manager);
            assertEquals(0.5f, norm.getFloat(), 1e-6f);
            assertArrayEquals(new float[] {0.3f, 0}, params.get(0).getValue().getArray().getGradient().toFloatArray());
            assertArrayEquals(new float[] {0.4f}, params.get(1).getValue().getArray().getGradient().toFloatArray());
        }
    }

    @Test
    void noBoundOnlyMeasuresAndZeroClearsNonFiniteGradients() {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            PairList<String, Parameter> params = parameters(manager, Float.NaN);
            assertTrue(Float.isNaN(GradientClipping.clip(params, 0f, manager).getFloat()));
            GradientClipping.zero(params, manager);
            assertArrayEquals(new float[] {0, 0}, params.get(0).getValue().getArray().getGradient().toFloatArray());
            assertArrayEquals(new float[] {0}, params.get(1).getValue().getArray().getGradient().toFloatArray());
        }
    }
}
