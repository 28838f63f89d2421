package nmt.engine;

import ai.djl.BaseModel;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Map;
import nmt.Version;

/**
 * The arrays of a search whose every network runs elsewhere (exported models on ONNX Runtime): a
 * DJL engine without natives, whose arrays live in direct memory and offer only what a search
 * asks of them (see {@link JavaNDArray}). A process that decodes only exported models so never
 * loads libtorch (about 110 MB of memory). It is not registered with DJL: nothing picks it by
 * name or as a default; {@link #INSTANCE} is handed to what needs it.
 */
public final class JavaEngine extends Engine {
    public static final String ENGINE_NAME = "Java";
    public static final JavaEngine INSTANCE = new JavaEngine();

    private JavaEngine() {
    }

    @Override
    public Engine getAlternativeEngine() {
        return null;
    }

    @Override
    public String getEngineName() {
        return ENGINE_NAME;
    }

    /** Below every DJL engine, should anything ever rank it. */
    @Override
    public int getRank() {
        return 100;
    }

    @Override
    public String getVersion() {
        return Version.VERSION;
    }

    @Override
    public boolean hasCapability(String capability) {
        return false;
    }

    /** A model for DJL's Predictor around a network that is already loaded (its block is set by the caller). */
    @Override
    public Model newModel(String name, Device device) {
        return new JavaModel(name, device);
    }

    @Override
    public NDManager newBaseManager() {
        return newBaseManager(null);
    }

    @Override
    public NDManager newBaseManager(Device device) {
        return JavaNDManager.system().newSubManager(device);
    }

    private static final class JavaModel extends BaseModel {
        JavaModel(String name, Device device) {
            super(name);
            manager = INSTANCE.newBaseManager(device);
            dataType = DataType.FLOAT32;
        }

        @Override
        public void load(Path modelPath, String prefix, Map<String, ?> options) {
            throw new UnsupportedOperationException("the Java engine reads no model files; set a loaded block");
        }
    }
}
