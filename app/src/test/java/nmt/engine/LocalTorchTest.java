package nmt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import nmt.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder app/scripts/local-torch.sh writes, as nmt reads it through NMT_TORCH_HOME. */
class LocalTorchTest {
    @TempDir
    Path home;

    /** What the script writes: torch's own lib folder, and DJL's JNI in the cache layout DJL 0.35.0 reads. */
    private Path torchLib() throws IOException {
        Path lib = Files.createDirectories(home.resolve("site-packages/torch/lib"));
        Files.writeString(lib.resolve("libtorch.so"), "");
        return lib;
    }

    private Path properties(Path lib) throws IOException {
        return Files.writeString(home.resolve("torch.properties"), "# written by local-torch.sh\nPYTORCH_LIBRARY_PATH="
                + lib + "\nPYTORCH_FLAVOR=cpu\nPYTORCH_VERSION=2.13.0\nENGINE_CACHE_DIR=" + home.resolve("cache") + "\n");
    }

    private Path jni() {
        return home.resolve("cache/pytorch/2.13.0-cpu-linux-" + System.getProperty("os.arch").replace("amd64", "x86_64")
                + "/0.35.0-libdjl_torch.so");
    }

    @Test
    void aBuiltFolderGivesDjlItsLibraryFlavourVersionAndJni() throws IOException {
        Path lib = torchLib();
        properties(lib);
        Path jni = jni();
        Files.createDirectories(jni.getParent());
        Files.writeString(jni, "");
        Properties settings = Engines.torchProperties(home);
        assertEquals(lib.toString(), settings.getProperty("PYTORCH_LIBRARY_PATH"));
        assertEquals("cpu", settings.getProperty("PYTORCH_FLAVOR"));
        assertEquals("2.13.0", settings.getProperty("PYTORCH_VERSION"));
        assertEquals(jni, Engines.jniFile(settings));
    }

    @Test
    void aFolderNotBuiltOrHalfBuiltIsOneLineSayingWhatToRun() throws IOException {
        assertEquals("NMT_TORCH_HOME=" + home + " has no torch.properties: build it with "
                + "app/scripts/local-torch.sh JNI_SOURCES " + home,
                assertThrows(InputError.class, () -> Engines.torchProperties(home)).getMessage());
        Path file = home.resolve("torch.properties");
        Files.writeString(file, "PYTORCH_LIBRARY_PATH=" + home + "\nPYTORCH_FLAVOR=cpu\n");
        assertEquals(file + ": no PYTORCH_VERSION line; run app/scripts/local-torch.sh again",
                assertThrows(InputError.class, () -> Engines.torchProperties(home)).getMessage());
        Files.writeString(file, "PYTORCH_LIBRARY_PATH=" + home + "\nPYTORCH_FLAVOR=cpu\nPYTORCH_VERSION=2.13.0\n");
        assertEquals(file + ": no ENGINE_CACHE_DIR line; run app/scripts/local-torch.sh again",
                assertThrows(InputError.class, () -> Engines.torchProperties(home)).getMessage());
        properties(home);
        assertEquals(file + ": PYTORCH_LIBRARY_PATH " + home + " has no libtorch.so (was that torch removed?); run "
                + "app/scripts/local-torch.sh again",
                assertThrows(InputError.class, () -> Engines.torchProperties(home)).getMessage());
        Path lib = torchLib();
        properties(lib);
        assertEquals(file + ": no " + jni() + "; run app/scripts/local-torch.sh again",
                assertThrows(InputError.class, () -> Engines.torchProperties(home)).getMessage());
    }
}
