package nmt.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A synthetic task for tiny models: random digit sequences (3 to 8 digits) and their reversals. */
public final class ReverseDigits {
    private ReverseDigits() {
    }

    /** Writes train (the given size), dev (100) and test (200) as DIR/SPLIT.src and DIR/SPLIT.trg. */
    public static void writeSplits(Path dir, int trainPairs) throws IOException {
        Random random = new Random(11);
        write(dir, "train", trainPairs, random);
        write(dir, "dev", 100, random);
        write(dir, "test", 200, random);
    }

    private static void write(Path dir, String name, int pairs, Random random) throws IOException {
        List<String> source = new ArrayList<>();
        List<String> target = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            int length = 3 + random.nextInt(6);
            List<String> digits = new ArrayList<>();
            for (int k = 0; k < length; k++) {
                digits.add(Integer.toString(random.nextInt(10)));
            }
            source.add(String.join(" ", digits));
            Collections.reverse(digits);
            target.add(String.join(" ", digits));
        }
        Files.write(dir.resolve(name + ".src"), source);
        Files.write(dir.resolve(name + ".trg"), target);
    }

    /** The training loss at each validation of a model directory's run, oldest first. */
    public static List<Double> trainLosses(Path model) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(model.resolve("metrics.jsonl"))) {
            JsonNode record = json.readTree(line);
            if (record.has("train_loss")) {
                losses.add(record.get("train_loss").asDouble());
            }
        }
        return losses;
    }
}
