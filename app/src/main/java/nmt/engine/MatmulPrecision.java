package nmt.engine;

import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import nmt.InputError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PyTorch's float32 matmul precision ("highest", "high" = TF32, "medium" = bf16 where the hardware has
 * it), set through libnmt_torch.so, which app/scripts/local-torch.sh builds into NMT_TORCH_HOME beside
 * DJL's JNI: DJL itself offers no call for it. The bundled CPU engine has no such library and stays at
 * "highest".
 */
public final class MatmulPrecision {
    private static final Logger LOG = LoggerFactory.getLogger(MatmulPrecision.class);
    static final String LIBRARY = "libnmt_torch.so";
    private static Boolean loaded;

    private MatmulPrecision() {
    }

    /**
     * Sets training.matmul_precision, saying so in the log; where the engine cannot take it, a
     * warning names the way to one that can, and training goes on at "highest".
     */
    public static synchronized void configure(String precision) {
        if (load()) {
            setNative(precision);
            LOG.info("float32 matmul precision {}", precision);
        } else if (!"highest".equals(precision)) {
            LOG.warn("training.matmul_precision \"{}\" not applied: the engine in use ({}) cannot set it; "
                    + "app/scripts/local-torch.sh builds one that can", precision, LibUtils.getLibtorchPath());
        }
    }

    /** The precision in force, or empty where the engine in use cannot say (no libnmt_torch.so). */
    public static synchronized Optional<String> current() {
        return load() ? Optional.of(getNative()) : Optional.empty();
    }

    private static boolean load() {
        if (loaded == null) {
            Engines.pytorch();
            Path library = Engines.localTorchHome()
                    .filter(home -> Engines.loadedFrom(LibUtils.getLibtorchPath(),
                            Engines.torchProperties(home).getProperty("PYTORCH_LIBRARY_PATH")))
                    .map(home -> home.resolve(LIBRARY))
                    .filter(Files::isRegularFile)
                    .orElse(null);
            // Only with the libtorch it was built for: it links to that libtorch, not to another.
            if (library != null) {
                try {
                    System.load(library.toAbsolutePath().toString());
                } catch (UnsatisfiedLinkError e) {
                    throw new InputError("cannot load " + library + " (" + e.getMessage() + "): run "
                            + "app/scripts/local-torch.sh again", e);
                }
            }
            loaded = library != null;
        }
        return loaded;
    }

    private static native void setNative(String precision);

    private static native String getNative();
}
