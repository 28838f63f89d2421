package nmt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import nmt.engine.MatmulPrecision;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {
    @Test
    void namesTheEngineWhereItWasLoadedFromAndWhetherAGpuWouldWork() throws Exception {
        CliRunner.Result run = CliRunner.run("doctor", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals("0.35.0", r.get("djl").asText());
        String pytorch = r.get("pytorch").asText();
        assertTrue(pytorch.matches("\\d+\\.\\d+\\.\\d+"), pytorch);
        String torchHome = System.getenv("NMT_TORCH_HOME");
        if (torchHome != null) {
            // The suite on a local PyTorch: doctor must name it, not the bundled one.
            Properties built = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of(torchHome, "torch.properties"))) {
                built.load(in);
            }
            assertEquals(built.getProperty("PYTORCH_VERSION"), pytorch);
            assertEquals("PYTORCH_LIBRARY_PATH", r.get("libtorch_from").asText());
            assertEquals(Path.of(built.getProperty("PYTORCH_LIBRARY_PATH")).toRealPath(),
                    Path.of(r.get("libtorch").asText()).toRealPath());
            assertTrue(Path.of(r.get("jni").asText()).toRealPath().startsWith(Path.of(torchHome).toRealPath()), r.toString());
        } else if (System.getenv("PYTORCH_LIBRARY_PATH") == null) {
            assertEquals("2.7.1", pytorch);
            assertTrue(r.get("libtorch").asText().contains("2.7.1"), r.toString());
            assertEquals("the bundled pytorch-native-cpu", r.get("libtorch_from").asText());
        }
        assertTrue(r.get("jni").asText().endsWith("libdjl_torch.so"), r.toString());
        assertTrue(r.get("intra_op_threads").asInt() >= 1, r.toString());
        boolean gpus = !r.get("gpus").isEmpty();
        assertEquals(gpus, "works".equals(r.get("device_gpu").asText()), r.toString());
        if (!gpus) {
            assertEquals("CPU", r.get("build").asText());
        }
    }

    @Test
    void matmulPrecisionIsSetWhereTheEngineCanAndNamedFixedWhereItCannot() throws Exception {
        if (System.getenv("NMT_TORCH_HOME") != null) {
            try {
                MatmulPrecision.configure("high");
                assertEquals(Optional.of("high"), MatmulPrecision.current());
                CliRunner.Result run = CliRunner.run("doctor", "--json");
                assertEquals("high", new ObjectMapper().readTree(run.out()).get("matmul_precision").asText());
            } finally {
                MatmulPrecision.configure("highest");
            }
            assertEquals(Optional.of("highest"), MatmulPrecision.current());
        } else if (System.getenv("PYTORCH_LIBRARY_PATH") == null) {
            assertEquals(Optional.empty(), MatmulPrecision.current());
            CliRunner.Result run = CliRunner.run("doctor", "--json");
            assertTrue(new ObjectMapper().readTree(run.out()).get("matmul_precision").asText()
                    .startsWith("highest (fixed: the engine in use has no libnmt_torch.so"), run.out());
        }
    }

    @Test
    void printsOneLinePerFact() {
        CliRunner.Result run = CliRunner.run("doctor");
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().split("\n");
        assertEquals(13, lines.length, run.out());
        assertTrue(lines[2].matches("pytorch +\\d+\\.\\d+\\.\\d+"), lines[2]);
    }
}
