package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code format: html} and file translation over HTTP, with the digit-reversing model served as
 * "en" to "fr": its attention is sharp (each output digit attends to the digit it copies), so
 * where the tags land can be asserted exactly.
 */
@Tag("trains")
class HtmlAndFilesTest {
    private static TranslationServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = TranslationServer.start(
                List.of(new TranslationServer.LoadedModel(ServedModels.load(ServedModels.enFr()), "en-fr")),
                new TranslationServer.Options("127.0.0.1", 0, null, List.of(),
                        ServeLimits.builder().maxBodyBytes(2000).maxQueueSentences(64).maxSentences(16).build()));
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String html(String q) {
        Http.Response r = http.postJson("/translate", Map.of("q", q, "source", "en", "target", "fr", "format", "html"));
        assertEquals(200, r.status(), r.body());
        return r.json().get("translatedText").asText();
    }

    private static String plain(String q) {
        Http.Response r = http.postJson("/translate", Map.of("q", q, "source", "en", "target", "fr"));
        assertEquals(200, r.status(), r.body());
        return r.json().get("translatedText").asText();
    }

    @Test
    void nestedInlineTagsStayAroundTheWordsTheyWrapped() {
        String out = html("<p>1 2 <b>3 <i>4</i></b> 5</p>");
        assertEquals("<p>5 <b><i>4</i> 3</b> 2 1</p>", out);
        assertEquals(plain("1 2 3 4 5"), Jsoup.parse(out).text());
    }

    @Test
    void anElementWithoutTextOfItsOwnFollowsTheWordBeforeIt() {
        String out = html("<p>1 2 <a href=\"/d\"><code>x</code></a> 3</p>");
        assertEquals("<p>3 2<a href=\"/d\"><code>x</code></a> 1</p>", out);
    }

    @Test
    void attributesAndEntitiesRoundTrip() {
        String out = html("<p title=\"Tom &amp; Jerry &lt;3\">6 <a href=\"/x?a=1&amp;b=2\" data-n=\"&quot;q&quot;\">7</a>"
                + " 8&nbsp;</p>");
        assertEquals("<p title=\"Tom &amp; Jerry &lt;3\">8 <a href=\"/x?a=1&amp;b=2\" data-n=\"&quot;q&quot;\">7</a>"
                + " 6&nbsp;</p>", out);
    }

    @Test
    void scriptStyleCodePreAndTranslateNoAreLeftAlone() {
        String kept = "<script>if (a < b) { x = \"1 2\"; }</script><style>p > b { color: red }</style>"
                + "<pre>1 2\n3</pre><div translate=\"no\">4 5 6</div><p class=\"notranslate\">7 8 9</p>";
        String out = html(kept + "<p>1 2 3</p>");
        assertEquals(kept + "<p>3 2 1</p>", out);
    }

    @Test
    void aWholeDocumentKeepsItsHeadAndDoctype() {
        String out = html("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>1 2</title></head>"
                + "<body><h1>3 4 5</h1><ul><li>6 7</li><li><em>8</em> 9</li></ul></body></html>");
        assertEquals("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>2 1</title></head>"
                + "<body><h1>5 4 3</h1><ul><li>7 6</li><li>9 <em>8</em></li></ul></body></html>", out);
    }

    @Test
    void theTextOutsideTagsIsThePlainTranslationOfTheSameSentences() {
        String[] sentences = {"1 2 3 4", "5 6 7", "8 9 1 2 3"};
        String out = html("<div><p><b>" + sentences[0].substring(0, 3) + "</b>" + sentences[0].substring(3)
                + "</p><p>" + sentences[1] + " <span><i>" + "</i></span></p><p><a href=\"#\">" + sentences[2]
                + "</a></p></div>");
        List<String> blocks = Jsoup.parse(out).select("p").eachText();
        assertEquals(List.of(plain(sentences[0]), plain(sentences[1]), plain(sentences[2])), blocks, out);
    }

    @Test
    void aTextFileAndAnHtmlFileAreTranslatedAndDownloadedOnce() {
        Http.Response r = http.postMultipart("/translate_file", Map.of("source", "en", "target", "fr"), "file",
                "digits.txt", "1 2 3\n4 5\n\n6 7 8 9\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.body());
        String url = r.json().get("translatedFileUrl").asText();
        assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/download_file/[0-9a-f-]{36}\\.digits\\.txt"), url);
        Http.Response file = http.get(URI.create(url).getPath());
        assertEquals(200, file.status());
        assertEquals("3 2 1\n5 4\n\n9 8 7 6\n", file.body());
        assertEquals("attachment; filename=\"digits.txt\"",
                file.raw().headers().firstValue("Content-Disposition").orElse(""));

        Http.Response page = http.postMultipart("/translate_file", Map.of("source", "en", "target", "fr"), "file",
                "page.html", "<html><body><p>1 <b>2</b> 3</p></body></html>".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, page.status(), page.body());
        assertEquals("<html><head></head><body><p>3 <b>2</b> 1</p></body></html>",
                http.get(URI.create(page.json().get("translatedFileUrl").asText()).getPath()).body());
    }

    @Test
    void badInputIsOneClear4xxAndTheServerKeepsServing() {
        assertRefused(400, "the HTML of text 1 is malformed at 1:14: Unexpected EndTag token [</p>] when in state "
                + "[InBody]", http.postJson("/translate", Map.of("q", "<p>1 <b>2</p>", "source", "en", "target", "fr",
                "format", "html")));
        assertRefused(400, "Invalid request: file format not supported", http.postMultipart("/translate_file",
                Map.of("source", "en", "target", "fr"), "file", "digits.pdf", new byte[] {'%', 'P', 'D', 'F'}));
        assertRefused(400, "Invalid request: missing file parameter", http.postMultipart("/translate_file",
                Map.of("source", "en", "target", "fr"), null, null, null));
        assertRefused(400, "Invalid request: empty file", http.postMultipart("/translate_file",
                Map.of("source", "en", "target", "fr"), "file", "empty.txt", new byte[0]));
        assertRefused(400, "file latin1.txt is not UTF-8 text: byte 3 cannot start or continue a character",
                http.postMultipart("/translate_file", Map.of("source", "en", "target", "fr"), "file", "latin1.txt",
                        new byte[] {'1', ' ', (byte) 0xE9, ' ', '2'}));
        Http.Response large = http.postMultipart("/translate_file", Map.of("source", "en", "target", "fr"), "file",
                "large.txt", "1 2\n".repeat(600).getBytes(StandardCharsets.UTF_8));
        assertEquals(413, large.status(), large.body());
        assertTrue(large.error().startsWith("the request body has "), large.body());
        assertRefused(400, "file many.txt has 65 sentences; the limit is 64", http.postMultipart("/translate_file",
                Map.of("source", "en", "target", "fr"), "file", "many.txt",
                "1\n".repeat(65).getBytes(StandardCharsets.UTF_8)));
        assertRefused(400, "Invalid filename", http.get("/download_file/..config.json"));
        assertRefused(400, "Invalid filename", http.get("/download_file/%2e%2e"));
        Http.Response encoded = http.get("/download_file/..%2F..%2Fetc%2Fpasswd");
        assertEquals(400, encoded.status(), encoded.body());
        assertTrue(encoded.error().startsWith("the server cannot read this request"), encoded.body());
        assertRefused(404, "no file 00000000-0000-0000-0000-000000000000.a.txt: it expired or the store needed its "
                + "room", http.get("/download_file/00000000-0000-0000-0000-000000000000.a.txt"));
        assertRefused(400, "Invalid request: missing q parameter", http.postJson("/detect", Map.of("q", "")));
        Http.Response broken = http.send(java.net.http.HttpRequest.newBuilder(URI.create(http.base() + "/translate_file"))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("--x\r\nbroken")));
        assertEquals(400, broken.status(), broken.body());
        assertTrue(broken.error().startsWith("cannot read the form fields"), broken.body());
        assertRefused(400, "field q must be a string", http.postJson("/detect", Map.of("q", List.of("1"))));
        assertEquals("3 2 1", plain("1 2 3"));
    }

    private static void assertRefused(int status, String error, Http.Response r) {
        assertEquals(status, r.status(), r.body());
        assertEquals(error, r.error());
    }
}
