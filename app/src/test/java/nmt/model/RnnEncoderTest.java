package nmt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import nmt.engine.Engines;
import nmt.model.rnn.EncoderOutput;
import nmt.model.rnn.RnnCell;
import nmt.model.rnn.RnnEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RnnEncoderTest {
    @ParameterizedTest
    @CsvSource({"GRU_CELL, true, 2", "LSTM_CELL, true, 1", "GRU_CELL, false, 2"})
    void paddingContentDoesNotChangeValidOutputsOrFinals(RnnCell cell, boolean bidirectional, int layers) {
        Engines.pytorch().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ParameterStore ps = new ParameterStore(manager, false);
            int e = 3;
            int h = 4;
            RnnEncoder encoder = new RnnEncoder(cell, e, h, layers, bidirectional, 0f);
            encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1, e), new Shape(1));
            int[] lengths = {5, 2};
            NDArray x = manager.randomNormal(new Shape(2, 5, e));
            NDArray noise = manager.randomNormal(new Shape(2, 5, e)).mul(10);
            NDArray paddingMask = manager.create(new float[] {0, 0, 0, 0, 0, 0, 0, 1, 1, 1}, new Shape(2, 5, 1));
            NDArray y = x.add(noise.mul(paddingMask));
            EncoderOutput a = encoder.encode(ps, x, manager.create(lengths), false);
            EncoderOutput b = encoder.encode(ps, y, manager.create(lengths), false);
            int c = encoder.outputDim();
            assertEquals(new Shape(2, 5, c), a.outputs().getShape());
            assertEquals(new Shape(layers, 2, c), a.finals().getShape());
            float[] oa = a.outputs().toFloatArray();
            float[] ob = b.outputs().toFloatArray();
            for (int t = 0; t < 2; t++) {
                for (int k = 0; k < c; k++) {
                    int i = (5 + t) * c + k;
                    assertEquals(oa[i], ob[i], 1e-6f, "valid output of the short sentence changed at t=" + t);
                }
            }
            assertArrayEquals(a.finals().toFloatArray(), b.finals().toFloatArray(), 1e-6f);

            // The short sentence alone, unpadded, gives the same states.
            EncoderOutput alone = encoder.encode(ps, x.get("1:2, 0:2, :"), manager.create(new int[] {2}), false);
            assertArrayEquals(alone.outputs().toFloatArray(), a.outputs().get("1:2, 0:2, :").toFloatArray(), 1e-6f);
            assertArrayEquals(alone.finals().toFloatArray(), a.finals().get(":, 1:2, :").toFloatArray(), 1e-6f);
        }
    }
}
