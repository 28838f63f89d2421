package nmt.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nmt.cli.CliRunner;
import nmt.decode.TextTranslator;
import nmt.engine.JavaEngine;
import nmt.model.DecoderState;
import nmt.model.StepOutput;
import nmt.modeldir.ModelDirectory;
import nmt.modeldir.TranslationModel;
import nmt.pinned.PinnedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nmt export} as a user runs it: the exported directories of the pinned models translate
 * exactly as {@code nmt translate} did with the trained ones, alone and in ensembles; bad input is
 * one line; ONNX Runtime for Python reads the same graphs and computes the same numbers.
 */
class ExportCommandTest {
    /** The Python that runs the interoperability check; it needs onnxruntime and numpy. */
    private static final String PYTHON = System.getenv().getOrDefault("NMT_ONNX_PYTHON", "python3");

    @TempDir
    Path dir;

    private Path export(String type, boolean int8) {
        Path out = dir.resolve(type + (int8 ? "-int8" : "-fp32"));
        List<String> args = new ArrayList<>(List.of("export", "--model", PinnedModels.model(type).toString(),
                "--output", out.toString()));
        if (int8) {
            args.add("--int8");
        }
        CliRunner.Result run = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("exported "), run.out());
        return out;
    }

    private static String translate(String... args) {
        List<String> all = new ArrayList<>(List.of("translate", "--input", PinnedModels.input().toString()));
        all.addAll(List.of(args));
        CliRunner.Result run = CliRunner.run(all.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return run.out();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bahdanau", "luong", "transformer"})
    void anExportTranslatesAsTheTrainedModelDid(String type) {
        String model = export(type, false).toString();
        assertEquals(PinnedModels.expected(type + ".greedy"), translate("--model", model, "--beam", "1"));
        assertEquals(PinnedModels.expected(type + ".beam3-nbest2"),
                translate("--model", model, "--beam", "3", "--nbest", "2"));
    }

    /**
     * A process that decodes only exported models never starts PyTorch (its libtorch would take
     * about 110 MB): neither DJL's PyTorch engine nor its native interface is loaded (only the
     * provider DJL lists at start), and the output is the trained model's.
     */
    @Test
    void anExportAloneTranslatesWithoutPyTorch() throws Exception {
        Path exported = export("transformer", false);
        Path classes = dir.resolve("classes.log");
        Path out = dir.resolve("out.txt");
        Process p = CliRunner.inNewJvm(List.of("-Xlog:class+load=info:file=" + classes), "translate", "--model",
                exported.toString(), "--input", PinnedModels.input().toString(), "--beam", "1")
                .redirectError(dir.resolve("err.txt").toFile()).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("err.txt")));
        assertEquals(PinnedModels.expected("transformer.greedy"), Files.readString(out));
        List<String> loaded = Files.readAllLines(classes);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" nmt.engine.JavaNDArray ")), "no Java engine arrays");
        List<String> pytorch = loaded.stream().filter(l -> l.contains(" ai.djl.pytorch.jni.")
                || l.contains(" ai.djl.pytorch.engine.PtEngine ")).toList();
        assertEquals(List.of(), pytorch);
    }

    /** DJL's Predictor over exported models alone: the search on the Java engine, the pinned outputs. */
    @Test
    void djlPredictorOverExportedModels() throws TranslateException {
        List<Path> exported = List.of(export("luong", false), export("transformer", false));
        try (TranslationModel model = ModelDirectory.load(exported, List.of("decoding.beam_size=1"));
             Predictor<String, String> predictor = TextTranslator.newPredictor(model)) {
            assertEquals(JavaEngine.ENGINE_NAME, model.manager().getEngine().getEngineName());
            assertEquals(PinnedModels.expectedLines("ensemble.greedy"), predictor.batchPredict(PinnedModels.inputLines()));
        }
    }

    @Test
    void exportsAndTrainedModelsEnsembleAlike() {
        String luong = export("luong", false).toString();
        String transformer = PinnedModels.model("transformer").toString();
        assertEquals(PinnedModels.expected("ensemble.greedy"),
                translate("--model", luong, "--model", transformer, "--beam", "1"));
        assertEquals(PinnedModels.expected("ensemble.beam3"),
                translate("--model", luong, "--model", export("transformer", false).toString(), "--beam", "3"));
    }

    @Test
    void anInt8ExportIsSmallerAndTranslatesEveryLine() throws IOException {
        Path fp32 = export("transformer", false);
        Path int8 = export("transformer", true);
        assertTrue(size(int8) < 0.75 * size(fp32), size(int8) + " vs " + size(fp32));
        String out = translate("--model", int8.toString(), "--beam", "3");
        assertEquals(PinnedModels.inputLines().size(), out.lines().count());
        assertEquals("int8", new ObjectMapper().readTree(int8.resolve(ModelDirectory.EXPORT_MANIFEST).toFile())
                .get("precision").asText());
    }

    @Test
    void benchmarkDecodeOnlyMeasuresAnExportAndATrainedModel() throws IOException {
        for (String split : List.of("train", "dev")) {
            Files.copy(PinnedModels.input(), dir.resolve(split + ".src"));
            Files.copy(PinnedModels.input(), dir.resolve(split + ".trg"));
        }
        Path int8 = export("transformer", true);
        for (Path model : List.of(PinnedModels.model("transformer"), int8)) {
            CliRunner.Result run = CliRunner.run("benchmark", "--model", model.toString(), "--decode-only",
                    "--sentences", "6", "--lengths", "3", "--json", "--set", "data.train=" + dir.resolve("train"),
                    "--set", "data.dev=" + dir.resolve("dev"));
            assertEquals(0, run.exitCode(), run.err());
            var json = new ObjectMapper().readTree(run.out());
            assertEquals(model == int8 ? "onnxruntime" : "pytorch", json.get("engine").asText());
            assertEquals(6, json.get("decode").get("dev_sentences").asInt());
            var beam = json.get("decode").get("dev").get("beam5");
            assertTrue(beam.get("latency_ms_p50").asDouble() > 0
                    && beam.get("latency_ms_p99").asDouble() >= beam.get("latency_ms_p50").asDouble(), run.out());
            long bytes = model == int8 ? size(int8)
                    : Files.size(model.resolve(ModelDirectory.PARAMETERS_FILE));
            assertEquals(bytes / 1e6, json.get("model_mb").asDouble(), 1e-9);
            assertTrue(json.get("peak_rss_mb").asDouble() >= beam.get("peak_rss_mb").asDouble());
        }
    }

    /** translate with the export fails with exit 1 and one line naming {@code graph}. */
    private static void assertOneLineCannotLoad(Path exported, String graph) {
        CliRunner.Result run = CliRunner.run("translate", "--model", exported.toString(), "--input",
                PinnedModels.input().toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("error: " + exported.resolve(graph) + ": ONNX Runtime cannot load it ("),
                run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    private static long size(Path export) throws IOException {
        long bytes = 0;
        for (String file : OnnxExport.FILES) {
            bytes += Files.size(export.resolve(file));
        }
        return bytes;
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path exported = export("transformer", false);
        CliRunner.Result again = CliRunner.run("export", "--model", exported.toString(), "--output",
                dir.resolve("again").toString());
        assertEquals(1, again.exitCode());
        assertEquals("error: model directory " + exported + " is already an export; export the trained directory it "
                + "came from\n", again.err());

        byte[] weights = Files.readAllBytes(exported.resolve(OnnxExport.WEIGHTS));
        Files.write(exported.resolve(OnnxExport.WEIGHTS), Arrays.copyOf(weights, weights.length / 2));
        assertOneLineCannotLoad(exported, OnnxExport.ENCODER);
        Files.write(exported.resolve(OnnxExport.WEIGHTS), weights);

        Files.write(exported.resolve(OnnxExport.STEP), new byte[] {1, 2, 3, 4, 5});
        assertOneLineCannotLoad(exported, OnnxExport.STEP);

        Files.delete(exported.resolve(OnnxExport.ENCODER));
        CliRunner.Result missing = CliRunner.run("translate", "--model", exported.toString(), "--input",
                PinnedModels.input().toString());
        assertEquals("error: model directory " + exported + " is incomplete: " + OnnxExport.ENCODER + " is missing\n",
                missing.err());

        CliRunner.Result format = CliRunner.run("export", "--model", PinnedModels.model("luong").toString(),
                "--format", "tflite", "--output", dir.resolve("tflite").toString());
        assertEquals(2, format.exitCode());
        assertTrue(format.err().startsWith("--format must be onnx, got \"tflite\""), format.err());
    }

    /**
     * ONNX Runtime for Python, given the graphs and a fixed source, computes the first step's
     * log-probabilities of the trained PyTorch model within 1e-4 (fp32), and those of Java's
     * ONNX Runtime on the int8 graphs within 1e-3 (its int8 kernels may round differently).
     */
    @Test
    void pythonOnnxRuntimeComputesTheSameLogProbabilities() throws Exception {
        assumeTrue(pythonHasOnnxRuntime(), "no Python with onnxruntime and numpy (" + PYTHON + "; set NMT_ONNX_PYTHON,"
                + " e.g. python3 -m venv env && env/bin/pip install onnxruntime numpy)");
        Path fp32 = export("transformer", false);
        Path int8 = export("transformer", true);
        int[] source = {5, 6, 7, 8, 3, 9, 10, 3, 0, 0};
        float[] pytorch = firstStep(PinnedModels.model("transformer"), source);
        float[] java8 = firstStep(int8, source);
        float[] python32 = python(fp32, source);
        float[] python8 = python(int8, source);
        assertEquals(pytorch.length, python32.length);
        assertTrue(maxDifference(pytorch, python32) < 1e-4, "fp32: " + maxDifference(pytorch, python32));
        assertTrue(maxDifference(java8, python8) < 1e-3, "int8: " + maxDifference(java8, python8));
    }

    private static double maxDifference(float[] a, float[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    /** Log-probabilities [2, V] of the first step from {@code <bos>} for two sources of five ids (the second padded). */
    private static float[] firstStep(Path model, int[] source) {
        try (TranslationModel loaded = ModelDirectory.load(model); NDManager manager = loaded.manager().newSubManager()) {
            ParameterStore ps = loaded.parameterStore();
            NDArray ids = manager.create(source, new Shape(2, 5));
            DecoderState state = loaded.network().encode(ps, ids, manager.create(new int[] {5, 3}), 4);
            StepOutput out = loaded.network().step(ps, state, manager.create(new int[] {2, 2}));
            return out.logProbs().toFloatArray();
        }
    }

    private static boolean pythonHasOnnxRuntime() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import onnxruntime, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private float[] python(Path model, int[] source) throws Exception {
        Path script = dir.resolve("step.py");
        Files.writeString(script, """
                import sys, numpy as np, onnxruntime as ort
                model = sys.argv[1]
                ids = np.array([int(t) for t in sys.argv[2].split(",")], dtype=np.int64).reshape(2, 5)
                encoder = ort.InferenceSession(model + "/encoder.onnx")
                step = ort.InferenceSession(model + "/decoder_step.onnx")
                names = [o.name for o in encoder.get_outputs()]
                encoded = dict(zip(names, encoder.run(None, {"source": ids, "source_lengths": np.array([5, 3])})))
                feed = {n: v for n, v in encoded.items()}
                feed["tokens"] = np.array([2, 2], dtype=np.int64)
                feed["step"] = np.array(0, dtype=np.int64)
                feed["parents"] = np.array([0, 1], dtype=np.int64)
                for i in step.get_inputs():
                    if i.name.startswith("cache."):
                        shape = [2 if d == "cache_rows" else 4 if d == "capacity" else d for d in i.shape]
                        feed[i.name] = np.zeros(shape, dtype=np.float32)
                out = dict(zip([o.name for o in step.get_outputs()], step.run(None, feed)))
                print(",".join(repr(float(x)) for x in out["log_probs"].reshape(-1)))
                """, StandardCharsets.UTF_8);
        StringBuilder joined = new StringBuilder();
        for (int id : source) {
            joined.append(joined.length() == 0 ? "" : ",").append(id);
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), model.toString(), joined.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), out);
        String[] parts = out.lines().reduce((a, b) -> b).orElse("").split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i]);
        }
        return values;
    }
}
