package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nmt.cli.CliRunner;
import nmt.modeldir.TranslationModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over real HTTP, against what {@code nmt translate} prints for the same model. */
@Tag("trains")
class TranslationServerTest {
    private static final ServeLimits LIMITS = ServeLimits.builder().maxBatchSentences(16)
            .maxQueueSentences(16).maxChars(200).maxSentences(20).maxBodyBytes(4096).maxBeam(8).build();
    private static final String KEY = "s3cret-key";

    private static TranslationServer server;
    private static TranslationServer keyed;
    private static Http http;
    private static Http keyedHttp;
    private static List<String> sentences;
    private static List<String> expected;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        sentences = ServedModels.testSentences();
        expected = translate(sentences, 1);
        server = TranslationServer.start(List.of(loaded(ServedModels.enFr()), loaded(ServedModels.frEn())),
                new TranslationServer.Options("127.0.0.1", 0, null, List.of(), LIMITS));
        keyed = TranslationServer.start(List.of(loaded(ServedModels.enFr())),
                new TranslationServer.Options("127.0.0.1", 0, KEY, List.of("http://example.org"), LIMITS));
        http = new Http(server.port());
        keyedHttp = new Http(keyed.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (keyed != null) {
            keyed.close();
        }
    }

    private static TranslationServer.LoadedModel loaded(Path modelDir) {
        return new TranslationServer.LoadedModel(ServedModels.load(modelDir), modelDir.toString());
    }

    /** What {@code nmt translate --beam K} prints for these lines. */
    private static List<String> translate(List<String> lines, int beam) throws IOException {
        Path input = Files.createTempFile(dir, "input", ".txt");
        Files.write(input, lines);
        CliRunner.Result run = CliRunner.run("translate", "--model", ServedModels.enFr().toString(), "--input",
                input.toString(), "--beam", Integer.toString(beam));
        assertEquals(0, run.exitCode(), run.err());
        return List.of(run.out().split("\n", -1)).subList(0, lines.size());
    }

    @Test
    void libreTranslateAnswersJsonFormArraysAndLines() {
        Http.Response one = http.postJson("/translate", Map.of("q", sentences.get(0), "source", "en", "target", "fr"));
        assertEquals(200, one.status(), one.body());
        assertEquals(expected.get(0), one.json().get("translatedText").asText());
        assertNull(one.json().get("detectedLanguage"));

        Http.Response array = http.postJson("/translate",
                Map.of("q", List.of(sentences.get(1), "", sentences.get(2)), "source", "en", "target", "fr"));
        assertEquals(List.of(expected.get(1), "", expected.get(2)), texts(array.json().get("translatedText")));

        Http.Response form = http.postForm("/translate",
                Map.of("q", sentences.get(3) + "\n" + sentences.get(4), "source", "en", "target", "fr", "format", "text"));
        assertEquals(200, form.status(), form.body());
        assertEquals(expected.get(3) + "\n" + expected.get(4), form.json().get("translatedText").asText());

        Http.Response auto = http.postJson("/translate", Map.of("q", sentences.get(5), "source", "auto", "target", "fr"));
        assertEquals(expected.get(5), auto.json().get("translatedText").asText());
        assertEquals("en", auto.json().at("/detectedLanguage/language").asText());
    }

    @Test
    void concurrentClientsGetWhatTranslateGivesInFewerBatches() throws Exception {
        List<String> answers = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Http.Response>> pending = new ArrayList<>();
            for (String s : sentences) {
                pending.add(clients.submit(() -> http.postJson("/translate",
                        Map.of("q", s, "source", "en", "target", "fr"))));
            }
            for (Future<Http.Response> f : pending) {
                Http.Response r = f.get();
                assertEquals(200, r.status(), r.body());
                answers.add(r.json().get("translatedText").asText());
            }
        } finally {
            clients.shutdown();
        }
        assertEquals(expected, answers);
        String metrics = http.get("/metrics").body();
        double batches = metric(metrics, "nmt_batch_sentences_count{pair=\"en-fr\"}");
        double batched = metric(metrics, "nmt_batch_sentences_sum{pair=\"en-fr\"}");
        assertTrue(batched >= sentences.size(), metrics);
        assertTrue(batched / batches > 2, "16 clients share batches: " + batched + " sentences in " + batches);
    }

    @Test
    void languagesHealthAndMetrics() {
        JsonNode languages = http.get("/languages").json();
        assertEquals("[{\"code\":\"en\",\"name\":\"English\",\"targets\":[\"fr\"]},"
                + "{\"code\":\"fr\",\"name\":\"French\",\"targets\":[\"en\"]}]", languages.toString());
        assertEquals("{\"charLimit\":200,\"frontendTimeout\":500,\"apiKeys\":false,\"keyRequired\":false,"
                + "\"suggestions\":false,\"filesTranslation\":true,\"supportedFilesFormat\":[\".txt\",\".html\",\".htm\"],"
                + "\"language\":"
                + "{\"source\":{\"code\":\"en\",\"name\":\"English\"},\"target\":{\"code\":\"fr\",\"name\":\"French\"}}}",
                http.get("/frontend/settings").json().toString());
        Http.Response health = http.get("/health");
        assertEquals(200, health.status());
        assertEquals("ok", health.json().get("status").asText());
        http.postJson("/translate", Map.of("q", sentences.get(0), "source", "en", "target", "fr"));
        Http.Response metrics = http.get("/metrics");
        assertTrue(metrics.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(metric(metrics.body(), "nmt_requests_total{path=\"/translate\",status=\"200\"}") >= 1);
        assertTrue(metric(metrics.body(), "process_resident_memory_bytes") > 1e7);
        assertTrue(metrics.body().contains("nmt_queue_sentences{pair=\"en-fr\"} 0"), metrics.body());
        assertTrue(metrics.body().contains("nmt_request_duration_seconds_bucket{path=\"/translate\",le=\"1.0\"}"));
    }

    @Test
    void detailedEndpointGivesNbestScoresAndAttention() throws IOException {
        String sentence = sentences.get(7);
        Http.Response r = http.postJson("/v1/translate", Map.of("q", List.of(sentence), "source", "en", "target", "fr",
                "beam", 4, "nbest", 3, "attention", true));
        assertEquals(200, r.status(), r.body());
        JsonNode s = r.json().at("/translations/0");
        assertEquals(sentence, s.get("source").asText());
        assertEquals(sentence.split(" ").length + 1, s.get("sourceTokens").size(), "tokens and <eos>");
        JsonNode hypotheses = s.get("hypotheses");
        assertEquals(3, hypotheses.size());
        assertEquals(translate(List.of(sentence), 4).get(0), hypotheses.get(0).get("text").asText());
        for (int k = 1; k < 3; k++) {
            assertTrue(hypotheses.get(k - 1).get("score").asDouble() >= hypotheses.get(k).get("score").asDouble());
        }
        JsonNode best = hypotheses.get(0);
        assertEquals(best.get("tokens").size(), best.get("attention").size());
        for (JsonNode row : best.get("attention")) {
            assertEquals(s.get("sourceTokens").size(), row.size());
            double sum = 0;
            for (JsonNode w : row) {
                sum += w.asDouble();
            }
            assertEquals(1.0, sum, 1e-4, "each output token's attention is a distribution over the source");
        }
        Http.Response plain = http.postJson("/v1/translate", Map.of("q", sentence, "source", "en", "target", "fr"));
        assertTrue(plain.json().at("/translations/0/hypotheses/0/attention").isNull());
    }

    @Test
    void theSpecListsWhatTheServerAnswersAndNothingElse() {
        Http.Response r = http.get("/spec");
        assertEquals(200, r.status(), r.body());
        JsonNode paths = r.json().get("paths");
        List<String> listed = new ArrayList<>();
        paths.fieldNames().forEachRemaining(listed::add);
        assertEquals(List.of("/translate", "/v1/translate", "/detect", "/translate_file", "/download_file/{filename}",
                "/languages", "/frontend/settings", "/suggest", "/health",
                "/metrics", "/spec", "/"), listed);
        for (String path : listed) {
            String method = paths.get(path).fieldNames().next();
            String concrete = path.replace("{filename}", "00000000-0000-0000-0000-000000000000.a.txt");
            Http.Response wrong = method.equals("get") ? http.postJson(concrete, "{}") : http.get(concrete);
            assertEquals(405, wrong.status(), path + " answers only " + method);
        }
    }

    @Test
    void alternativesAreTheNbestOfABeamOneWider() {
        String sentence = sentences.get(1);
        JsonNode beam3 = http.postJson("/v1/translate", Map.of("q", sentence, "source", "en", "target", "fr",
                "beam", 3, "nbest", 3)).json().at("/translations/0/hypotheses");
        List<String> nbest = new ArrayList<>();
        beam3.forEach(h -> nbest.add(h.get("text").asText()));
        Http.Response r = http.postJson("/translate", Map.of("q", sentence, "source", "en", "target", "fr",
                "alternatives", 2));
        assertEquals(200, r.status(), r.body());
        assertEquals(nbest.get(0), r.json().get("translatedText").asText());
        List<String> alternatives = new ArrayList<>();
        r.json().get("alternatives").forEach(a -> alternatives.add(a.asText()));
        assertEquals(nbest.subList(1, 3).stream().filter(t -> !t.equals(nbest.get(0))).distinct().toList(),
                alternatives);
        Http.Response batch = http.postJson("/translate", Map.of("q", List.of(sentence, sentence), "source", "en",
                "target", "fr", "alternatives", 2));
        assertEquals(r.json().get("alternatives"), batch.json().get("alternatives").get(1));
        assertRefused(400, "Invalid request: alternatives parameter is not a number", http.postJson("/translate",
                Map.of("q", sentence, "source", "en", "target", "fr", "alternatives", "two")));
        assertRefused(400, "Invalid request: alternatives parameter must be <= 3", http.postJson("/translate",
                Map.of("q", sentence, "source", "en", "target", "fr", "alternatives", 4)));
    }

    @Test
    void everyRefusalIsOneJsonLineWithItsStatus() {
        Map<String, Object> ok = Map.of("q", sentences.get(0), "source", "en", "target", "fr");
        assertRefused(400, "Invalid request: missing q parameter",
                http.postJson("/translate", Map.of("source", "en", "target", "fr")));
        assertRefused(400, "Invalid request: missing target parameter",
                http.postJson("/translate", Map.of("q", "1", "source", "en")));
        assertRefused(400, "Invalid request: missing q parameter",
                http.postForm("/translate", Map.of("source", "en", "target", "fr", "format", "text")));
        assertRefused(400, "zz is not supported", http.postForm("/translate",
                Map.of("q", "Hello", "source", "en", "target", "zz", "format", "text")));
        assertRefused(400, "French (fr) is not available as a target language from French (fr)",
                http.postJson("/translate", Map.of("q", "1", "source", "fr", "target", "fr")));
        assertRefused(400, "de is not supported",
                http.postJson("/translate", Map.of("q", "1", "source", "en", "target", "de")));
        assertRefused(400, "xml format is not supported",
                http.postJson("/translate", Map.of("q", "1", "source", "en", "target", "fr", "format", "xml")));
        assertRefused(400, "text 2 has 201 characters; the limit is 200", http.postJson("/translate",
                Map.of("q", List.of("1", "1".repeat(201)), "source", "en", "target", "fr")));
        assertRefused(400, "the request has 21 sentences; the limit is 20", http.postJson("/translate",
                Map.of("q", "1\n".repeat(20) + "1", "source", "en", "target", "fr")));
        assertRefused(400, "invalid JSON body at line 1, column 9: Unexpected character ('2' (code 50)): was "
                + "expecting comma to separate Object entries",
                http.postJson("/translate", "{\"q\": 1 2}"));
        assertRefused(400, "field q must be a string or an array of strings; item 2 is not a string",
                http.postJson("/translate", "{\"q\": [\"1\", 2], \"source\": \"en\", \"target\": \"fr\"}"));
        assertRefused(400, "field beam must be between 1 and 8, got 9", http.postJson("/v1/translate",
                Map.of("q", "1", "source", "en", "target", "fr", "beam", 9)));
        assertRefused(400, "field nbest must be between 1 and 2, got 3", http.postJson("/v1/translate",
                Map.of("q", "1", "source", "en", "target", "fr", "beam", 2, "nbest", 3)));
        assertRefused(400, "zz is not supported",
                http.postJson("/translate", Map.of("q", "1", "source", "auto", "target", "zz")));
        assertRefused(404, "no such endpoint: GET /nope", http.get("/nope"));
        assertRefused(405, "method POST is not allowed on /languages; use GET", http.postJson("/languages", "{}"));
        assertRefused(405, "method POST is not allowed on /health; use GET", http.postJson("/health", "{}"));
        assertRefused(405, "method GET is not allowed on /translate; use POST", http.get("/translate"));
        assertRefused(403, "Suggestions are disabled on this server.", http.postJson("/suggest",
                Map.of("q", "1", "s", "2", "source", "en", "target", "fr")));
        assertRefused(413, "the request body has 5009 bytes; the limit is 4096", http.postJson("/translate",
                "{\"q\": \"" + "1".repeat(5000) + "\"}"));
        assertRefused(413, "the request has 17 sentences; the translation queue holds 16: send at most 16 per request",
                http.postJson("/v1/translate", Map.of("q", Collections.nCopies(17, "1"), "source", "en", "target",
                        "fr")));
        assertRefused(400, "field q must be a string",
                http.postJson("/translate", "{\"q\": 42, \"source\": \"en\", \"target\": \"fr\"}"));
        assertRefused(403, "this server requires an api_key", keyedHttp.postJson("/translate", ok));
        assertRefused(403, "invalid api_key", keyedHttp.postJson("/translate",
                Map.of("q", "1", "source", "en", "target", "fr", "api_key", "s3cret-kez")));
        Http.Response withKey = keyedHttp.postForm("/translate",
                Map.of("q", sentences.get(0), "source", "en", "target", "fr", "api_key", KEY));
        assertEquals(200, withKey.status(), withKey.body());
        assertEquals(expected.get(0), withKey.json().get("translatedText").asText());
    }

    @Test
    void afterAFloodOfBadRequestsGoodOnesAreAnsweredCorrectly() {
        for (int i = 0; i < 200; i++) {
            Http.Response r = switch (i % 5) {
                case 0 -> http.postJson("/translate", "{\"q\": [");
                case 1 -> http.postJson("/translate", "[1, 2, 3]");
                case 2 -> http.postForm("/translate", Map.of("q", "1", "source", "en", "target", "xx"));
                case 3 -> http.postJson("/translate", "{\"q\": \"" + "9".repeat(5000) + "\"}");
                default -> http.send(HttpRequest.newBuilder(URI.create(http.base() + "/translate"))
                        .header("Content-Type", "multipart/form-data; boundary=x")
                        .POST(HttpRequest.BodyPublishers.ofString("--x\r\nbroken")));
            };
            assertTrue(r.status() == 400 || r.status() == 413, r.status() + " " + r.body());
        }
        for (int i = 0; i < 10; i++) {
            Http.Response r = http.postJson("/translate", Map.of("q", sentences.get(i), "source", "en", "target", "fr"));
            assertEquals(200, r.status(), r.body());
            assertEquals(expected.get(i), r.json().get("translatedText").asText());
        }
    }

    @Test
    void anInternalErrorIsA500WithoutAStackTrace() {
        TranslationModel model = ServedModels.load(ServedModels.enFr());
        try (TranslationServer broken = TranslationServer.start(
                List.of(new TranslationServer.LoadedModel(model, "broken")),
                new TranslationServer.Options("127.0.0.1", 0, null, List.of(), LIMITS))) {
            model.close();
            Http.Response r = new Http(broken.port()).postJson("/translate",
                    Map.of("q", "1 2 3", "source", "en", "target", "fr"));
            assertEquals(500, r.status(), r.body());
            assertTrue(r.error().startsWith("internal error ("), r.body());
            assertFalse(r.body().contains("\tat ") || r.body().contains("nmt."), r.body());
        }
    }

    @Test
    void corsIsOffUnlessAnOriginIsAllowed() {
        HttpRequest.Builder fromPage = HttpRequest.newBuilder(URI.create(http.base() + "/languages"))
                .header("Origin", "http://example.org").GET();
        assertTrue(http.send(fromPage).raw().headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        HttpRequest.Builder allowed = HttpRequest.newBuilder(URI.create(keyedHttp.base() + "/languages"))
                .header("Origin", "http://example.org").GET();
        assertEquals("http://example.org",
                keyedHttp.send(allowed).raw().headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    }

    @Test
    void loadBenchmarkReportsEveryLevelWithoutErrors() throws IOException {
        Path input = Files.createTempFile(dir, "load", ".txt");
        Files.write(input, sentences.subList(0, 50));
        CliRunner.Result run = CliRunner.run("benchmark", "--serve", http.base(), "--input", input.toString(),
                "--clients", "1,4", "--requests", "40", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertEquals("en-fr", result.get("pair").asText());
        for (String clients : List.of("1", "4")) {
            JsonNode level = result.at("/clients/" + clients);
            assertEquals(0, level.get("errors").asInt(), level.toString());
            assertTrue(level.get("sentences_per_s").asDouble() > 0);
            assertTrue(level.get("p50_ms").asDouble() <= level.get("p95_ms").asDouble());
            assertTrue(level.get("p95_ms").asDouble() <= level.get("p99_ms").asDouble());
            assertTrue(level.get("server_rss_mb_after").asDouble() > 10);
        }
        CliRunner.Result noInput = CliRunner.run("benchmark", "--serve", http.base());
        assertEquals(2, noInput.exitCode());
        assertTrue(noInput.err().startsWith("--serve needs --input FILE, the sentences to send\n"), noInput.err());
    }

    private static void assertRefused(int status, String error, Http.Response r) {
        assertEquals(status, r.status(), r.body());
        assertEquals(error, r.error());
        assertFalse(r.body().contains("\n"), "one line: " + r.body());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A sample's value in Prometheus' text format. */
    private static double metric(String text, String sample) {
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).strip().split(" ")[0]);
            }
        }
        throw new AssertionError("no sample " + sample + " in\n" + text);
    }
}
