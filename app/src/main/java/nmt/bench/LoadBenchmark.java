package nmt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import nmt.InputError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a running {@code nmt serve} over HTTP like its clients do: N concurrent clients, each
 * sending one sentence per {@code POST /translate} and waiting for the answer before the next.
 * For each N: sentences/s, latency percentiles, errors, and the server's RSS (from its metrics).
 */
public final class LoadBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBenchmark.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param source   null: the first pair GET /languages lists
     * @param requests requests sent at each client count
     */
    public record Options(URI base, String source, String target, String apiKey, List<String> sentences,
                          int[] clients, int requests) {
    }

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private String source;
    private String target;

    public LoadBenchmark(Options options) {
        this.options = options;
    }

    public Map<String, Object> run() throws InterruptedException {
        pair();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("server", options.base().toString());
        result.put("pair", source + "-" + target);
        result.put("requests_per_level", options.requests());
        result.put("server_rss_mb_before", serverRssMb());
        // Untimed: the server's first requests load classes and warm the model up.
        level(Math.max(1, Arrays.stream(options.clients()).max().orElse(1)), 200);
        Map<String, Object> levels = new LinkedHashMap<>();
        for (int clients : options.clients()) {
            Map<String, Object> level = level(clients, options.requests());
            level.put("server_rss_mb_after", serverRssMb());
            LOG.info("{} clients: {}", clients, level);
            levels.put(Integer.toString(clients), level);
        }
        result.put("clients", levels);
        return result;
    }

    private Map<String, Object> level(int clients, int requests) throws InterruptedException {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    if (!translate(options.sentences().get(i % options.sentences().size()))) {
                        errors.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - sent;
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.DAYS);
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("sentences_per_s", requests / seconds);
        level.put("p50_ms", percentile(latencies, 0.50));
        level.put("p95_ms", percentile(latencies, 0.95));
        level.put("p99_ms", percentile(latencies, 0.99));
        level.put("errors", errors.get());
        return level;
    }

    private boolean translate(String sentence) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("q", sentence);
        body.put("source", source);
        body.put("target", target);
        if (options.apiKey() != null) {
            body.put("api_key", options.apiKey());
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(options.base().resolve("translate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The pair to request: the one given, or the first the server lists. */
    private void pair() throws InterruptedException {
        if (options.source() != null && options.target() != null) {
            source = options.source();
            target = options.target();
            return;
        }
        JsonNode languages = JSON.createArrayNode();
        try {
            languages = JSON.readTree(get("languages"));
        } catch (IOException e) {
            throw new InputError(options.base() + ": cannot list the languages (" + e.getMessage() + ")");
        }
        for (JsonNode language : languages) {
            if (language.path("targets").size() > 0) {
                source = language.get("code").asText();
                target = language.get("targets").get(0).asText();
                return;
            }
        }
        throw new InputError(options.base() + " serves no language pair");
    }

    private double serverRssMb() throws InterruptedException {
        try {
            for (String line : get("metrics").split("\n")) {
                if (line.startsWith("process_resident_memory_bytes ")) {
                    return Double.parseDouble(line.split(" ")[1]) / (1024.0 * 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("cannot read the server's RSS from /metrics: {}", e.getMessage());
        }
        return -1;
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(options.base().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /" + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static double percentile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
