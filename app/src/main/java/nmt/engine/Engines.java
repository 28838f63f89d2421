package nmt.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Platform;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import nmt.InputError;

/** Starts DJL's PyTorch engine from the native library on the class path, and picks the device. */
public final class Engines {
    /** Set to 1 to let DJL download native libraries (e.g. a CUDA build); off by default. */
    public static final String ALLOW_DOWNLOAD_ENV = "NMT_ALLOW_DOWNLOAD";
    /** A folder written by app/scripts/local-torch.sh: DJL's JNI built against a local PyTorch. */
    public static final String TORCH_HOME_ENV = "NMT_TORCH_HOME";
    /**
     * What DJL reads (from the environment or system properties) to load a libtorch of one's own: the
     * folder of libtorch, its flavour and version, and where the JNI built for it is.
     */
    static final List<String> TORCH_KEYS = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION",
            "ENGINE_CACHE_DIR");

    private static volatile boolean configured;

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

    /**
     * With NMT_TORCH_HOME set, points DJL at the libtorch named in its torch.properties, so that a
     * user does not type the flavour and version; variables set by hand win.
     */
    static void configureLocalTorch() {
        Optional<Path> home = localTorchHome();
        if (home.isEmpty()) {
            return;
        }
        Properties settings = torchProperties(home.get());
        String cache = System.getenv("ENGINE_CACHE_DIR") != null ? System.getenv("ENGINE_CACHE_DIR")
                : System.getProperty("ENGINE_CACHE_DIR");
        if (cache != null && !Path.of(cache).equals(Path.of(settings.getProperty("ENGINE_CACHE_DIR")))) {
            // DJL takes the JNI from its cache folder; another one would send it looking for a download.
            throw new InputError("ENGINE_CACHE_DIR=" + cache + " hides the JNI that " + TORCH_HOME_ENV + " keeps in "
                    + settings.getProperty("ENGINE_CACHE_DIR") + ": unset ENGINE_CACHE_DIR");
        }
        for (String key : TORCH_KEYS) {
            if (System.getenv(key) == null && System.getProperty(key) == null) {
                System.setProperty(key, settings.getProperty(key));
            }
        }
    }

    /** The folder NMT_TORCH_HOME names, if it is set and not blank. */
    static Optional<Path> localTorchHome() {
        String home = System.getenv(TORCH_HOME_ENV);
        return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home));
    }

    /** The settings of a folder written by app/scripts/local-torch.sh, checked. */
    static Properties torchProperties(Path home) {
        Path file = home.resolve("torch.properties");
        if (!Files.isRegularFile(file)) {
            throw new InputError(TORCH_HOME_ENV + "=" + home + " has no torch.properties: build it with "
                    + "app/scripts/local-torch.sh JNI_SOURCES " + home);
        }
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            settings.load(in);
        } catch (IOException e) {
            throw new InputError(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        for (String key : TORCH_KEYS) {
            if (settings.getProperty(key, "").isBlank()) {
                throw new InputError(file + ": no " + key + " line; run app/scripts/local-torch.sh again");
            }
        }
        Path library = Path.of(settings.getProperty("PYTORCH_LIBRARY_PATH"));
        if (!Files.isRegularFile(library.resolve("libtorch.so"))) {
            throw new InputError(file + ": PYTORCH_LIBRARY_PATH " + library + " has no libtorch.so (was that torch "
                    + "removed?); run app/scripts/local-torch.sh again");
        }
        Path jni = jniFile(settings);
        if (!Files.isRegularFile(jni)) {
            throw new InputError(file + ": no " + jni + "; run app/scripts/local-torch.sh again");
        }
        return settings;
    }

    /** Where DJL 0.35.0 looks for the JNI of a libtorch of one's own (DJL's cache layout under ENGINE_CACHE_DIR). */
    static Path jniFile(Properties settings) {
        return Path.of(settings.getProperty("ENGINE_CACHE_DIR"), "pytorch",
                settings.getProperty("PYTORCH_VERSION") + "-" + settings.getProperty("PYTORCH_FLAVOR") + "-"
                        + Platform.detectPlatform("pytorch").getClassifier(),
                Engine.getDjlVersion() + "-libdjl_torch.so");
    }

    /** PYTORCH_LIBRARY_PATH (a variable, or a property set from NMT_TORCH_HOME), or null. */
    static String requestedLibraryPath() {
        String variable = System.getenv("PYTORCH_LIBRARY_PATH");
        return variable != null ? variable : System.getProperty("PYTORCH_LIBRARY_PATH");
    }

    /** Whether a libtorch folder is (inside) this one: DJL falls back to its own when PYTORCH_LIBRARY_PATH has none. */
    static boolean loadedFrom(String libtorch, String folder) {
        return Path.of(libtorch).toAbsolutePath().normalize().startsWith(Path.of(folder).toAbsolutePath().normalize());
    }

    public static synchronized Engine pytorch() {
        // Once: the engine, once started, keeps the libtorch it loaded.
        if (!configured) {
            configureOffline();
            configureLocalTorch();
        }
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException e) {
            String fix = localTorchHome().map(home -> TORCH_HOME_ENV + "=" + home + ": build it again with "
                    + "app/scripts/local-torch.sh").orElse("README: \"Engines and GPUs\"");
            throw new InputError("cannot start the PyTorch engine: " + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse("") + " (" + fix + ")", e);
        }
        if (!configured) {
            configured = true;
            if (decodingThreads != null) {
                JniUtils.setNumThreads(decodingThreads);
            }
        }
        return engine;
    }

    /** The threads per operator a command chose for decoding, or null. */
    private static volatile Integer decodingThreads;

    /**
     * Sets the threads per operator that decoding uses, on either engine: PyTorch's intra-op
     * threads (now, or when it starts) and ONNX Runtime's for exported models that do not set
     * their own. Each thread that decodes on PyTorch takes the number at its first parallel op,
     * so call this before decoding starts.
     */
    public static synchronized void decodingThreads(int threads) {
        decodingThreads = threads;
        if (configured) {
            JniUtils.setNumThreads(threads);
        }
    }

    /**
     * The threads per operator for decoding: as set above, else the user's OMP_NUM_THREADS or
     * ai.djl.pytorch.num_threads, else PyTorch's where it runs already, else one per core. Reading
     * it does not start PyTorch (an exported model's process never loads it).
     */
    public static synchronized int decodingThreads() {
        if (decodingThreads != null) {
            return decodingThreads;
        }
        if (configured) {
            return JniUtils.getNumThreads();
        }
        String chosen = System.getProperty("ai.djl.pytorch.num_threads", System.getenv("OMP_NUM_THREADS"));
        try {
            return chosen == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(chosen.strip()));
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** Whether the user chose PyTorch's threads already (OMP_NUM_THREADS, or DJL's ai.djl.pytorch.num_threads). */
    public static boolean threadsChosen() {
        return System.getenv("OMP_NUM_THREADS") != null || System.getProperty("ai.djl.pytorch.num_threads") != null;
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
                            + engine.getVersion() + ") sees no GPU: build NMT_TORCH_HOME from a CUDA PyTorch with "
                            + "app/scripts/local-torch.sh (README: \"Engines and GPUs\")");
                }
                yield Device.gpu();
            }
            default -> throw new InputError("device must be auto, cpu or gpu, got \"" + choice + "\"");
        };
    }
}
