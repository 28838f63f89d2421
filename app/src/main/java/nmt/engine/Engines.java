package nmt.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import nmt.InputError;

/** Starts DJL's PyTorch engine from the native library on the class path, and picks the device. */
public final class Engines {
    /** Set to 1 to let DJL download native libraries (e.g. a CUDA build); off by default. */
    public static final String ALLOW_DOWNLOAD_ENV = "NMT_ALLOW_DOWNLOAD";

    private Engines() {
    }

    /**
     * Keeps DJL offline unless the user opted in: the CPU natives ship in the pytorch-native-cpu jar,
     * and a download attempt on a machine without internet would only fail late and obscurely.
     */
    public static void configureOffline() {
        boolean allowed = "1".equals(System.getenv(ALLOW_DOWNLOAD_ENV)) || "true".equals(System.getenv(ALLOW_DOWNLOAD_ENV));
        if (!allowed && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    public static Engine pytorch() {
        configureOffline();
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException e) {
            throw new InputError("cannot start the PyTorch engine: " + e.getMessage()
                    + " (for a CUDA build set PYTORCH_LIBRARY_PATH, or " + ALLOW_DOWNLOAD_ENV + "=1 to let DJL download it)", e);
        }
    }

    /** @param choice "auto" (a GPU if the engine sees one), "cpu" or "gpu" */
    public static Device device(String choice) {
        Engine engine = pytorch();
        int gpus = engine.getGpuCount();
        return switch (choice) {
            case "cpu" -> Device.cpu();
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new InputError("device \"gpu\" was asked for but the PyTorch engine ("
                            + engine.getVersion() + ") sees no GPU: point PYTORCH_LIBRARY_PATH at a CUDA build of libtorch");
                }
                yield Device.gpu();
            }
            default -> throw new InputError("device must be auto, cpu or gpu, got \"" + choice + "\"");
        };
    }
}
