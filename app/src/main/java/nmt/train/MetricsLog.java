package nmt.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** metrics.jsonl: one {@link Validation} per line, written and read through the same type. */
public final class MetricsLog {
    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * One validation.
     *
     * @param trainLoss    mean training loss since the previous validation; null when no update was made since
     * @param learningRate the rate of the update validated
     * @param elapsedS     training time so far, validations included
     * @param best         whether it was the best dev BLEU so far (and its parameters were saved)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Validation(int update, int epoch, Double trainLoss, double devLoss, double devPpl, double devBleu,
                             double devChrf, float learningRate, double elapsedS, boolean best) {
    }

    private final Path file;

    public MetricsLog(Path dir) {
        this.file = dir.resolve(FILE);
    }

    public Path path() {
        return file;
    }

    public void append(Validation validation) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(validation) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The validations logged in {@code file}, in order; none when it does not exist. */
    public static List<Validation> read(Path file) throws IOException {
        List<Validation> validations = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return validations;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                validations.add(JSON.readValue(line, Validation.class));
            }
        }
        return validations;
    }
}
