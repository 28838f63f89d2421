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

    @Test
    void aBuiltFolderGivesDjlItsLibraryFlavourAndVersion() throws IOException {
        Files.writeString(home.resolve("libdjl_torch.so"), "");
        Files.writeString(home.resolve("torch.properties"), "# written by local-torch.sh\nPYTORCH_LIBRARY_PATH="
                + home + "\nPYTORCH_FLAVOR=cpu\nPYTORCH_VERSION=2.13.0\n");
        Properties settings = Engines.torchProperties(home);
        assertEquals(home.toString(), settings.getProperty("PYTORCH_LIBRARY_PATH"));
        assertEquals("cpu", settings.getProperty("PYTORCH_FLAVOR"));
        assertEquals("2.13.0", settings.getProperty("PYTORCH_VERSION"));
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
        assertEquals(file + ": PYTORCH_LIBRARY_PATH " + home + " has no libdjl_torch.so; run "
                + "app/scripts/local-torch.sh again",
                assertThrows(InputError.class, () -> Engines.torchProperties(home)).getMessage());
    }
}
