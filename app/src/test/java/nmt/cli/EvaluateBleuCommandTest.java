package nmt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import nmt.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected values from sacreBLEU 2.6.0: {@code sacrebleu REF -i HYP -f text} and {@code -sl}. */
class EvaluateBleuCommandTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void printsSacreBleuLineAndSignature() throws IOException {
        Path hyp = write("hyp", "The cat sat on the mat.\nIt is raining today!\nHe read the book.\n");
        Path ref = write("ref", "The cat is sitting on the mat.\nIt rains today!\nHe has read the book.\n");
        CliRunner.Result run = CliRunner.run("evaluate-bleu", "--hyp", hyp.toString(), "--ref", ref.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("BLEU = 42.88 82.4/57.1/36.4/25.0 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)\n"
                + "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" + Version.signatureTag() + "\n", run.out());
    }

    @Test
    void jsonHasTheScoreAndItsParts() throws IOException {
        Path hyp = write("hyp", "The cat sat on the mat.\nIt is raining today!\nHe read the book.\n");
        Path ref = write("ref", "The cat is sitting on the mat.\nIt rains today!\nHe has read the book.\n");
        CliRunner.Result run = CliRunner.run("evaluate-bleu", "--hyp", hyp.toString(), "--ref", ref.toString(), "--json");
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(42.88104504207589, json.get("score").asDouble(), 1e-9);
        assertEquals(0.943, json.get("bp").asDouble(), 5e-4);
        assertEquals(4, json.get("precisions").size());
        assertEquals(17, json.get("sys_len").asInt());
        assertEquals(18, json.get("ref_len").asInt());
        assertTrue(json.get("signature").asText().startsWith("nrefs:1|case:mixed|eff:no|tok:13a"));
    }

    @Test
    void sentenceLevelUsesEffectiveOrder() throws IOException {
        Path hyp = write("hyp", "the cat the mat\ndog runs fast here\n");
        Path ref = write("ref", "the cat on the mat\ndog runs very fast\n");
        CliRunner.Result run = CliRunner.run("evaluate-bleu", "--hyp", hyp.toString(), "--ref", ref.toString(), "--sentence", "--json");
        String[] lines = run.out().split("\n");
        assertEquals(2, lines.length);
        ObjectMapper m = new ObjectMapper();
        assertEquals(35.1862973998119, m.readTree(lines[0]).get("score").asDouble(), 1e-9);
        assertEquals(35.35533905932737, m.readTree(lines[1]).get("score").asDouble(), 1e-9);
    }

    @Test
    void lineCountMismatchIsOneLineAndExitOne() throws IOException {
        Path hyp = write("hyp", "a\nb\n");
        Path ref = write("ref", "a\nb\nc\n");
        CliRunner.Result run = CliRunner.run("evaluate-bleu", "--hyp", hyp.toString(), "--ref", ref.toString());
        assertEquals(1, run.exitCode());
        assertEquals("error: hypothesis file " + hyp + " has 2 lines but reference file " + ref + " has 3\n", run.err());
    }

    @Test
    void missingFileIsOneLine() {
        CliRunner.Result run = CliRunner.run("evaluate-bleu", "--hyp", dir.resolve("x").toString(), "--ref", dir.resolve("y").toString());
        assertEquals(1, run.exitCode());
        assertEquals("error: " + dir.resolve("x") + ": file not found\n", run.err());
    }

    @Test
    void unknownOptionOrTokenizerIsUsageErrorTwo() {
        CliRunner.Result run = CliRunner.run("evaluate-bleu", "--hyp", "a", "--ref", "b", "--frobnicate");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("Unknown option: '--frobnicate'"), run.err());
        assertTrue(run.err().contains("Usage: nmt evaluate-bleu"), run.err());
        assertEquals(2, CliRunner.run("evaluate-bleu", "--hyp", "a", "--ref", "b", "--tokenize", "zh").exitCode());
        assertEquals(2, CliRunner.run("fly").exitCode());
    }

    @Test
    void modelAndHypothesisModesDoNotMix() throws IOException {
        Path hyp = write("hyp", "a\n");
        Path ref = write("ref", "a\n");
        for (String[] args : new String[][] {
            {"evaluate-bleu", "--ref", ref.toString()},
            {"evaluate-bleu", "--hyp", hyp.toString(), "--model", dir.toString(), "--src", hyp.toString(), "--ref", ref.toString()},
            {"evaluate-bleu", "--model", dir.toString(), "--ref", ref.toString()},
            {"evaluate-bleu", "--hyp", hyp.toString(), "--ref", ref.toString(), "--beam", "5"},
        }) {
            CliRunner.Result run = CliRunner.run(args);
            assertEquals(2, run.exitCode(), String.join(" ", args));
            assertTrue(!run.err().contains("Exception"), run.err());
        }
    }
}
