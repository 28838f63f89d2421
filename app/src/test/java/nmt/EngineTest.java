package nmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import nmt.engine.Engines;
import org.junit.jupiter.api.Test;

class EngineTest {
    @Test
    void pytorchLoadsOfflineFromTheClassPath() {
        Engine engine = Engines.pytorch();
        assertEquals("PyTorch", engine.getEngineName());
        assertEquals("2.7.1", engine.getVersion());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals(Device.cpu(), Engines.device("cpu"));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {7, 10, 15, 22}, a.matMul(a).toFloatArray());
        }
    }
}
