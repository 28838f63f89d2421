package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LibreTranslate's own API tests (its tests/test_api: detect, frontend settings, languages,
 * health, spec, translate), asked of {@code nmt serve} over HTTP with its "en" to "es" mapped to
 * the served "en" to "fr"; then the requests of the programs that call LibreTranslate servers.
 */
@Tag("trains")
class LibreTranslateApiTest {
    private static TranslationServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = TranslationServer.start(List.of(
                        new TranslationServer.LoadedModel(ServedModels.load(ServedModels.enFr()), "en-fr"),
                        new TranslationServer.LoadedModel(ServedModels.load(ServedModels.frEn()), "fr-en")),
                new TranslationServer.Options("127.0.0.1", 0, null, List.of(), ServeLimits.builder().build()));
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void detectLanguage() {
        Http.Response r = http.postForm("/detect", Map.of("q", "Hello"));
        assertEquals(200, r.status(), r.body());
        JsonNode first = r.json().get(0);
        assertTrue(first.has("confidence") && first.has("language"), r.body());
        assertEquals("en", first.get("language").asText());
    }

    @Test
    void detectLanguageMustFailWithoutParameters() {
        Http.Response r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.base() + "/detect"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, r.status());
        assertEquals("Invalid request: missing q parameter", r.error());
    }

    @Test
    void detectLanguageMustFailOverTheCharacterLimit() {
        Http.Response r = http.postForm("/detect", Map.of("q", "a".repeat(5001)));
        assertEquals(400, r.status());
        assertEquals("text 1 has 5001 characters; the limit is 5000", r.error());
    }

    @Test
    void detectLanguageMustFailBadRequestType() {
        assertEquals(405, http.get("/detect").status());
    }

    @Test
    void frontendSettings() {
        assertEquals(200, http.get("/frontend/settings").status());
    }

    @Test
    void languages() {
        Http.Response r = http.get("/languages");
        assertEquals(200, r.status());
        assertTrue(r.json().get(0).has("code") && r.json().get(0).has("name"), r.body());
        assertEquals(2, r.json().size());
    }

    @Test
    void languagesMustFailBadRequestType() {
        assertEquals(405, http.postForm("/languages", Map.of()).status());
    }

    @Test
    void health() {
        Http.Response r = http.get("/health");
        assertEquals(200, r.status());
        assertEquals("{\"status\":\"ok\"}", r.json().toString());
    }

    @Test
    void healthMustFailBadRequestType() {
        assertEquals(405, http.postForm("/health", Map.of()).status());
    }

    @Test
    void spec() {
        assertEquals(200, http.get("/spec").status());
    }

    @Test
    void specMustFailBadRequestType() {
        assertEquals(405, http.postForm("/spec", Map.of()).status());
    }

    @Test
    void translate() {
        Http.Response r = http.postForm("/translate", Map.of("q", "1 2 3", "source", "en", "target", "fr",
                "format", "text"));
        assertEquals(200, r.status(), r.body());
        assertEquals("3 2 1", r.json().get("translatedText").asText());
    }

    @Test
    void translateBatch() {
        Http.Response r = http.postJson("/translate", Map.of("q", List.of("1 2 3", "4 5 6"), "source", "en",
                "target", "fr", "format", "text"));
        assertEquals(200, r.status(), r.body());
        assertEquals("[\"3 2 1\",\"6 5 4\"]", r.json().get("translatedText").toString());
    }

    @Test
    void translateUnsupportedLanguage() {
        Http.Response r = http.postForm("/translate", Map.of("q", "Hello", "source", "en", "target", "zz",
                "format", "text"));
        assertEquals(400, r.status());
        assertEquals("zz is not supported", r.error());
    }

    @Test
    void translateMissingParameter() {
        Http.Response r = http.postForm("/translate", Map.of("source", "en", "target", "fr", "format", "text"));
        assertEquals(400, r.status());
        assertEquals("Invalid request: missing q parameter", r.error());
    }

    /**
     * Mastodon: a JSON array of HTML posts, source auto, format html; it reads
     * detectedLanguage[i].language. A post already in the target language comes back as it was.
     */
    @Test
    void mastodonsRequest() {
        String french = "<p>Bonjour tout le monde, voici <a href=\"https://example.org/@bob\" class=\"u-url mention\">"
                + "@<span>bob</span></a> et 1 2 3.</p>";
        String english = "<p>Hello everyone, this is <b>me</b>.</p>";
        Http.Response r = http.postJson("/translate", Map.of("q", List.of(french, english), "source", "auto",
                "target", "en", "format", "html"));
        assertEquals(200, r.status(), r.body());
        assertEquals("fr", r.json().at("/detectedLanguage/0/language").asText());
        assertEquals("en", r.json().at("/detectedLanguage/1/language").asText());
        assertTrue(r.json().at("/detectedLanguage/0/confidence").asDouble() > 50, r.body());
        assertEquals(english, r.json().at("/translatedText/1").asText());
        String plain = http.postJson("/translate", Map.of("q", "Bonjour tout le monde, voici @bob et 1 2 3.",
                "source", "fr", "target", "en")).json().get("translatedText").asText();
        String html = r.json().at("/translatedText/0").asText();
        assertEquals(plain, org.jsoup.Jsoup.parse(html).text(), html);
        assertTrue(html.startsWith("<p>") && html.endsWith("</p>") && html.contains(
                "<a href=\"https://example.org/@bob\" class=\"u-url mention\">"), html);
    }

    /** Weblate: form-encoded fields, one text, the api_key field sent empty. */
    @Test
    void weblatesRequest() {
        Http.Response r = http.postForm("/translate", Map.of("api_key", "", "q", "7 8 9", "source", "en",
                "target", "fr"));
        assertEquals(200, r.status(), r.body());
        assertEquals("9 8 7", r.json().get("translatedText").asText());
    }

    /** The npm libretranslate client: JSON bodies to /translate and /detect, format text. */
    @Test
    void npmClientsRequests() throws IOException {
        Http.Response translated = http.postJson("/translate", "{\"q\":\"4 5 6 7\",\"source\":\"en\",\"target\":\"fr\","
                + "\"format\":\"text\",\"api_key\":\"\"}");
        assertEquals(200, translated.status(), translated.body());
        assertEquals("7 6 5 4", translated.json().get("translatedText").asText());
        Http.Response detected = http.postJson("/detect", "{\"q\":\"Ceci est une phrase en français.\",\"api_key\":\"\"}");
        assertEquals(200, detected.status(), detected.body());
        assertEquals("fr", detected.json().at("/0/language").asText());
        double sum = 0;
        for (JsonNode guess : detected.json()) {
            sum += guess.get("confidence").asDouble();
        }
        assertEquals(100.0, sum, 0.011);
    }
}
