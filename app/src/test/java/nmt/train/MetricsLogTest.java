package nmt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.jsonl keeps its keys, their order and float learning rates; what is written reads back. */
class MetricsLogTest {
    @TempDir
    Path dir;

    @Test
    void linesKeepTheirLayoutAndReadBack() throws IOException {
        MetricsLog log = new MetricsLog(dir);
        MetricsLog.Validation first = new MetricsLog.Validation(400, 2, 3.25, 2.5, 12.182493960703473, 8.73,
                27.74, 0.0012f, 623.5, true);
        MetricsLog.Validation last = new MetricsLog.Validation(410, 2, null, 2.25, 9.487735836358526, 9.5, 28.0,
                0.00117f, 640.0, false);
        log.append(first);
        log.append(last);
        assertEquals(List.of("{\"update\":400,\"epoch\":2,\"train_loss\":3.25,\"dev_loss\":2.5,"
                        + "\"dev_ppl\":12.182493960703473,\"dev_bleu\":8.73,\"dev_chrf\":27.74,\"learning_rate\":0.0012,"
                        + "\"elapsed_s\":623.5,\"best\":true}",
                "{\"update\":410,\"epoch\":2,\"dev_loss\":2.25,\"dev_ppl\":9.487735836358526,\"dev_bleu\":9.5,"
                        + "\"dev_chrf\":28.0,\"learning_rate\":0.00117,\"elapsed_s\":640.0,\"best\":false}"),
                Files.readAllLines(dir.resolve(MetricsLog.FILE)));
        assertEquals(List.of(first, last), MetricsLog.read(dir.resolve(MetricsLog.FILE)));
    }
}
