package nmt.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/** The server's Prometheus metrics (with the JVM's and the process's, RSS included), in their own registry. */
final class ServerMetrics {
    private static final double[] LATENCY_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] BATCH_SENTENCES = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, IntSupplier> queues = new ConcurrentHashMap<>();
    private final Counter requests;
    private final Counter sentences;
    private final Histogram latency;
    private final Histogram batchSentences;
    private final Histogram batchSeconds;

    ServerMetrics() {
        requests = Counter.builder().name("nmt_requests").help("HTTP requests answered, by path and status")
                .labelNames("path", "status").build();
        sentences = Counter.builder().name("nmt_sentences").help("Sentences translated, by language pair")
                .labelNames("pair").build();
        latency = Histogram.builder().name("nmt_request_duration_seconds").help("Time to answer a request, by path")
                .labelNames("path").classicOnly().classicUpperBounds(LATENCY_SECONDS).build();
        batchSentences = Histogram.builder().name("nmt_batch_sentences").help("Sentences per decoded batch")
                .labelNames("pair").classicOnly().classicUpperBounds(BATCH_SENTENCES).build();
        batchSeconds = Histogram.builder().name("nmt_batch_duration_seconds").help("Time to decode a batch")
                .labelNames("pair").classicOnly().classicUpperBounds(LATENCY_SECONDS).build();
        GaugeWithCallback queueDepth = GaugeWithCallback.builder().name("nmt_queue_sentences")
                .help("Sentences waiting to be batched, by language pair").labelNames("pair")
                .callback(cb -> queues.forEach((pair, depth) -> cb.call(depth.getAsInt(), pair))).build();
        registry.register(requests);
        registry.register(sentences);
        registry.register(latency);
        registry.register(batchSentences);
        registry.register(batchSeconds);
        registry.register(queueDepth);
        JvmMetrics.builder().register(registry);
    }

    void request(String path, int status, long nanos) {
        requests.labelValues(path, Integer.toString(status)).inc();
        latency.labelValues(path).observe(nanos / 1e9);
    }

    void batch(String pair, int count, long nanos) {
        sentences.labelValues(pair).inc(count);
        batchSentences.labelValues(pair).observe(count);
        batchSeconds.labelValues(pair).observe(nanos / 1e9);
    }

    void queueDepth(String pair, IntSupplier depth) {
        queues.put(pair, depth);
    }

    String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Every metric in Prometheus' text format. */
    String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
