package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nmt.cli.CliRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code nmt serve} as a process: its startup line, and SIGTERM finishing the request in flight. */
@Tag("trains")
class ServeCommandTest {
    private static final Pattern STARTED = Pattern.compile("serving en-fr on http://127\\.0\\.0\\.1:(\\d+)/ \\("
            + Math.max(1, Runtime.getRuntime().availableProcessors() - 1) + " decoding threads?\\)");

    @Test
    void sigtermFinishesTheRequestInFlightAndExitsZero() throws Exception {
        Path model = ServedModels.enFr();
        ServedModels.root();
        Process server = CliRunner.inNewJvm(List.of(), "serve", "--model", model.toString(), "--port", "0")
                .redirectErrorStream(true).start();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    log.add(line);
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new AssertionError("the server ended before it started: " + log));
        });
        reader.start();
        try {
            int p = port.get(120, TimeUnit.SECONDS);
            // A slow request: 200 sentences with beam 8 and three hypotheses each.
            String body = "{\"q\": [" + String.join(",", Collections.nCopies(200, "\"1 2 3 4 5 6 7 8\""))
                    + "], \"source\": \"en\", \"target\": \"fr\", \"beam\": 8, \"nbest\": 3}";
            CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/v1/translate"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            // Process.destroy() would also close our end of its output; kill sends only the signal.
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(server.pid())).start().waitFor());
            HttpResponse<String> answer = inFlight.get(120, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"text\":\"8 7 6 5 4 3 2 1\""), answer.body());
            assertTrue(server.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, server.exitValue(), String.join("\n", log));
            reader.join(10_000);
            assertTrue(log.stream().anyMatch(l -> l.contains("POST /v1/translate 200 200 sentences")), log.toString());
            assertTrue(log.get(log.size() - 1).endsWith("stopped"), log.toString());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void badOptionsAndMissingModelsAreOneLine() {
        CliRunner.Result missing = CliRunner.run("serve", "--model", "/nonexistent/model");
        assertEquals(1, missing.exitCode());
        assertEquals("error: model directory /nonexistent/model not found\n", missing.err());
        CliRunner.Result port = CliRunner.run("serve", "--model", "m", "--port", "70000");
        assertEquals(2, port.exitCode());
        assertTrue(port.err().startsWith("--port must be between 0 and 65535, got 70000\n"), port.err());
        CliRunner.Result tooMany = CliRunner.run("serve", "--model", "m", "--max-sentences", "300",
                "--max-queue-sentences", "200");
        assertEquals(2, tooMany.exitCode());
        assertTrue(tooMany.err().startsWith("--max-sentences 300 is more than --max-queue-sentences 200: a request that "
                + "large could never be queued\n"), tooMany.err());
        CliRunner.Result batch = CliRunner.run("serve", "--model", "m", "--max-batch-sentences", "0");
        assertEquals(2, batch.exitCode());
        assertTrue(batch.err().startsWith("--max-batch-sentences must be at least 1, got 0\n"), batch.err());
        CliRunner.Result threads = CliRunner.run("serve", "--model", "m", "--threads", "0");
        assertEquals(2, threads.exitCode());
        assertTrue(threads.err().startsWith("--threads must be at least 1, got 0\n"), threads.err());
    }
}
