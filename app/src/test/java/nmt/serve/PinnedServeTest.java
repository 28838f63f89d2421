package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nmt.modeldir.ModelDirectory;
import nmt.pinned.PinnedModels;
import org.junit.jupiter.api.Test;

/** The server answers what {@code nmt translate} printed with the pinned models, for one model and an ensemble. */
class PinnedServeTest {
    private static final ServeLimits LIMITS = ServeLimits.builder().maxBatchSentences(16).maxBeam(8)
            .timeoutMs(60_000).build();

    @Test
    void aModelAndAnEnsembleAnswerAsTranslatePrinted() {
        assertServed(List.of(PinnedModels.model("bahdanau")), "1", "bahdanau.greedy");
        assertServed(List.of(PinnedModels.model("luong"), PinnedModels.model("transformer")), "3", "ensemble.beam3");
    }

    private static void assertServed(List<Path> dirs, String beam, String expected) {
        TranslationServer.LoadedModel loaded = new TranslationServer.LoadedModel(
                ModelDirectory.load(dirs, List.of("decoding.beam_size=" + beam)), dirs.toString());
        try (TranslationServer server = TranslationServer.start(List.of(loaded),
                new TranslationServer.Options("127.0.0.1", 0, null, List.of(), LIMITS))) {
            Http.Response r = new Http(server.port()).postJson("/translate",
                    Map.of("q", PinnedModels.inputLines(), "source", "src", "target", "trg"));
            assertEquals(200, r.status(), r.body());
            List<String> answered = new ArrayList<>();
            for (JsonNode text : r.json().get("translatedText")) {
                answered.add(text.asText());
            }
            assertEquals(PinnedModels.expectedLines(expected), answered);
        }
    }
}
