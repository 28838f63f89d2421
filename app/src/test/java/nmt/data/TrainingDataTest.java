package nmt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nmt.InputError;
import nmt.config.ConfigLoader;
import nmt.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
    @TempDir
    Path dir;

    private final List<String> fr = new ArrayList<>();

    private DataConfig config(String bpe) throws IOException {
        List<String> en = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            en.add("the newest houses are the widest, number " + i % 7 + ".");
            fr.add("les maisons les plus récentes sont les plus larges, numéro " + i % 7 + ".");
        }
        for (String split : List.of("train", "dev")) {
            Files.write(dir.resolve(split + ".en"), en);
            Files.write(dir.resolve(split + ".fr"), fr);
        }
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"data": {"train": "%1$s/train", "dev": "%1$s/dev", "src": "en", "trg": "fr", "tokenizer": "bpe",
                          "joint_vocab": true, "bpe": %2$s},
                 "model": {"type": "transformer"}}
                """.formatted(dir.toString().replace("\\", "/"), bpe));
        return ConfigLoader.load(file).data();
    }

    @Test
    void bpeSidesShareJointMergesAndDetokenizeExactly() throws IOException {
        TrainingData data = TrainingData.prepare(config("{\"merges\": 40}"), dir.resolve("prepared"), null);
        TextPipeline source = data.languages().sourcePipeline();
        TextPipeline target = data.languages().targetPipeline();
        assertTrue(source.tokenizer() instanceof BpeTokenizer && target.tokenizer() instanceof BpeTokenizer);
        assertEquals(40, ((BpeTokenizer) source.tokenizer()).codes().size());
        String line = "les maisons les plus larges, numéro 3.";
        assertEquals(line, target.decode(target.encode(line)));
        assertSame(data.train(), data.trainingPairs(1), "no dropout: the prepared corpus every epoch");
        assertEquals(60, data.dev().size());
    }

    @Test
    void dropoutOnACorpusTooLargeForTheHeapIsRefusedInOneLine() {
        TrainingData.requireHeapForDropout(1_000_000, 30_000_000, 8L << 30);
        InputError e = assertThrows(InputError.class,
                () -> TrainingData.requireHeapForDropout(20_000_000, 600_000_000, 4L << 30));
        assertEquals("data.bpe.dropout keeps each epoch's segmentation on the heap: 20,000,000 pairs need about "
                + "4,425 MB, more than half the Java heap of 4,096 MB; set data.bpe.dropout to 0, or give Java more "
                + "heap (java -Xmx13g -jar nmt.jar ...)", e.getMessage());
    }

    @Test
    void dropoutResegmentsTheTrainingTextEveryEpoch() throws IOException {
        TrainingData data = TrainingData.prepare(config("{\"merges\": 60, \"dropout\": 0.3}"), dir.resolve("prepared"),
                null);
        TrainingPairs first = data.trainingPairs(1);
        TrainingPairs second = data.trainingPairs(2);
        assertEquals(data.train().size(), first.size());
        int different = 0;
        int unknown = 0;
        for (int i = 0; i < first.size(); i++) {
            int[] target = first.example(i).target();
            different += Arrays.equals(target, second.example(i).target()) ? 0 : 1;
            if (Arrays.stream(target).anyMatch(id -> id == Vocabulary.UNK_ID)) {
                unknown++;
            } else {
                assertEquals(fr.get(i), data.languages().targetPipeline().decode(target));
            }
        }
        assertTrue(different > 10, different + " of " + first.size() + " targets segmented differently");
        assertTrue(unknown <= first.size() / 10, unknown + " targets with pieces the vocabulary lacks");
    }
}
