package nmt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import nmt.InputError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a running {@code nmt serve} over HTTP like its clients do: N concurrent clients, each
 * sending K sentences per {@code POST /translate} and waiting for the answer before the next.
 * For each N: goodput (sentences answered 2xx per second), the share of requests answered,
 * latency percentiles, answers by status, translations that differ from the reference, and the
 * server's RSS (from its metrics). With an overload factor F, F times the clients of the level
 * with the best goodput run in turns with that best level again, to show whether the server degrades
 * gracefully: alternating makes both see the same machine, whose speed drifts over minutes on
 * shared hardware.
 */
public final class LoadBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBenchmark.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest a client waits when a server says Retry-After. */
    private static final long MAX_BACK_OFF_S = 5;
    /** A stuck server must not hang the benchmark; a request that gets no answer in time counts as io_error. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    /** The warm-up translates this many distinct input sentences alone, as the reference for later answers. */
    static final int MAX_REFERENCES = 2000;
    /** Few, so that the references come from small batches, close to how a sentence is translated alone. */
    private static final int WARMUP_CLIENTS = 4;
    /** Turns of (best level, overload level) in the overload comparison, each with a share of the requests. */
    static final int OVERLOAD_TURNS = 3;
    /** The fewest requests a turn sends per client of the overload level. */
    private static final int MIN_REQUESTS_PER_CLIENT = 4;
    /** The status of a request that got no HTTP answer (connection error or timeout). */
    static final int IO_ERROR = -1;

    /**
     * @param source              null: the first pair GET /languages lists
     * @param requests            requests sent at each client count
     * @param sentencesPerRequest K: each request sends K sentences as a JSON array (1: a plain string)
     * @param overload            null: no overload level; else F &gt; 1, the overload level's clients per
     *                            client of the best level
     */
    public record Options(URI base, String source, String target, String apiKey, List<String> sentences,
                          int[] clients, int requests, int sentencesPerRequest, Double overload) {
    }

    /** One timed request: its HTTP status ({@link #IO_ERROR} when none came), latency, and wrong sentences. */
    record Outcome(int status, long nanos, int wrong) {
        boolean answered() {
            return ok(status);
        }
    }

    /** The requests of one client count, and the figures reported for it. */
    record LevelResult(int clients, int sentencesPerRequest, double seconds, List<Outcome> outcomes) {
        /** Several runs of one client count as one: their requests, and their times added. */
        static LevelResult together(List<LevelResult> runs) {
            List<Outcome> all = new ArrayList<>();
            runs.forEach(run -> all.addAll(run.outcomes()));
            return new LevelResult(runs.get(0).clients(), runs.get(0).sentencesPerRequest(),
                    runs.stream().mapToDouble(LevelResult::seconds).sum(), all);
        }

        long answered() {
            return outcomes.stream().filter(Outcome::answered).count();
        }

        /** Sentences in 2xx answers per wall second: what the server delivered, the headline figure. */
        double goodput() {
            return answered() * sentencesPerRequest / seconds;
        }

        double okShare() {
            return outcomes.isEmpty() ? 0 : (double) answered() / outcomes.size();
        }

        int wrong() {
            return outcomes.stream().mapToInt(Outcome::wrong).sum();
        }

        /** Requests by status code, and io_error for those without an answer (always listed). */
        Map<String, Integer> statusCounts() {
            Map<String, Integer> counts = new TreeMap<>();
            int ioErrors = 0;
            for (Outcome o : outcomes) {
                if (o.status() == IO_ERROR) {
                    ioErrors++;
                } else {
                    counts.merge(Integer.toString(o.status()), 1, Integer::sum);
                }
            }
            counts.put("io_error", ioErrors);
            return counts;
        }

        Map<String, Object> toMap() {
            long[] all = outcomes.stream().mapToLong(Outcome::nanos).sorted().toArray();
            long[] answered = outcomes.stream().filter(Outcome::answered).mapToLong(Outcome::nanos).sorted().toArray();
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("goodput_sentences_per_s", goodput());
            level.put("ok_share", okShare());
            level.put("p50_answered_ms", percentileMs(answered, 0.50));
            level.put("p99_answered_ms", percentileMs(answered, 0.99));
            level.put("wrong", wrong());
            level.put("status_counts", statusCounts());
            // The figures from before goodput, kept for existing readers: over all finished requests, answered or not.
            level.put("sentences_per_s", (double) outcomes.size() * sentencesPerRequest / seconds);
            level.put("p50_ms", percentileMs(all, 0.50));
            level.put("p95_ms", percentileMs(all, 0.95));
            level.put("p99_ms", percentileMs(all, 0.99));
            level.put("errors", outcomes.size() - answered());
            return level;
        }
    }

    /** A request's answer: status, latency, and its translatedText (missing unless a 2xx JSON answer). */
    private record Answer(int status, long nanos, JsonNode translated, long retryAfterSeconds) {
    }

    private final Options options;
    // The JDK client pools HTTP/1.1 connections without a limit, so concurrent clients are not serialized.
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
        result.put("sentences_per_request", options.sentencesPerRequest());
        result.put("server_rss_mb_before", serverRssMb());
        Map<String, String> references = references();
        result.put("reference_sentences", references.size());
        List<LevelResult> levels = new ArrayList<>();
        Map<String, Object> byClients = new LinkedHashMap<>();
        for (int clients : options.clients()) {
            LevelResult level = level(clients, options.requests(), references);
            levels.add(level);
            Map<String, Object> map = level.toMap();
            map.put("server_rss_mb_after", serverRssMb());
            LOG.info("{} clients: {}", clients, map);
            byClients.put(Integer.toString(clients), map);
        }
        result.put("clients", byClients);
        if (options.overload() != null) {
            result.put("overload", overload(best(levels), references));
        }
        return result;
    }

    /**
     * The level at F times the best level's clients, compared with that best level run again in
     * turns with it: {@link #OVERLOAD_TURNS} turns of each, alternating; the requests are shared
     * among them, but each turn has at least a few per client, so that ramp-up and tail do not make
     * its figure.
     */
    private Map<String, Object> overload(LevelResult best, Map<String, String> references)
            throws InterruptedException {
        double factor = options.overload();
        int clients = overloadClients(best.clients(), factor);
        int requests = Math.max(options.requests() / OVERLOAD_TURNS, MIN_REQUESTS_PER_CLIENT * clients);
        List<LevelResult> unloaded = new ArrayList<>();
        List<LevelResult> loaded = new ArrayList<>();
        List<Double> turns = new ArrayList<>();
        for (int turn = 0; turn < OVERLOAD_TURNS; turn++) {
            unloaded.add(level(best.clients(), requests, references));
            loaded.add(level(clients, requests, references));
            turns.add(ratio(loaded.get(turn), unloaded.get(turn)));
        }
        LevelResult again = LevelResult.together(unloaded);
        LevelResult level = LevelResult.together(loaded);
        Double vsBest = ratio(level, again);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("clients", level.clients());
        map.put("factor", factor);
        map.put("best_clients", best.clients());
        map.put("best_goodput_sentences_per_s", best.goodput());
        map.put("requests_per_turn", requests);
        map.put("best_goodput_in_turns_sentences_per_s", again.goodput());
        map.put("goodput_vs_best", vsBest);
        map.put("goodput_vs_best_by_turn", turns);
        map.putAll(level.toMap());
        map.put("server_rss_mb_after", serverRssMb());
        String summary = String.format(Locale.ROOT,
                "at %.1fx the clients of the best level (%d -> %d), in %d turns with it: goodput %.1f vs %.1f "
                        + "sentences/s (%s)", factor, best.clients(), level.clients(), OVERLOAD_TURNS, level.goodput(),
                again.goodput(), vsBest == null ? "no goodput to compare with" : String.format(Locale.ROOT, "%.2f", vsBest));
        map.put("summary", summary);
        LOG.info(summary);
        return map;
    }

    private static Double ratio(LevelResult level, LevelResult best) {
        return best.goodput() > 0 ? level.goodput() / best.goodput() : null;
    }

    /** The level with the highest goodput; of equal ones the first, as given. */
    static LevelResult best(List<LevelResult> levels) {
        LevelResult best = levels.get(0);
        for (LevelResult level : levels) {
            if (level.goodput() > best.goodput()) {
                best = level;
            }
        }
        return best;
    }

    /** round(F * C), but more than C: a small F on few clients would otherwise repeat the best level. */
    static int overloadClients(int bestClients, double factor) {
        return Math.toIntExact(Math.max(bestClients + 1L, Math.round(factor * bestClients)));
    }

    /**
     * Untimed warm-up: the server's first requests load classes and warm the model up. Each distinct
     * sentence (up to {@link #MAX_REFERENCES}) is sent once alone; its translation is the reference
     * that the timed answers are checked against.
     */
    private Map<String, String> references() throws InterruptedException {
        List<String> distinct = options.sentences().stream().distinct().limit(MAX_REFERENCES).toList();
        Map<String, String> references = new ConcurrentHashMap<>();
        runClients(Math.min(WARMUP_CLIENTS, distinct.size()), distinct.size(), i -> {
            Answer answer = send(List.of(distinct.get(i)));
            if (answer.translated().isTextual()) {
                references.put(distinct.get(i), answer.translated().asText());
            }
        });
        if (references.size() < distinct.size()) {
            LOG.warn("the warm-up got no translation for {} of {} sentences; they are not checked",
                    distinct.size() - references.size(), distinct.size());
        }
        return references;
    }

    private LevelResult level(int clients, int requests, Map<String, String> references) throws InterruptedException {
        int k = options.sentencesPerRequest();
        Outcome[] outcomes = new Outcome[requests];
        // The level lasts until its last answer: a client's back-off after it is no part of the server's time.
        long start = System.nanoTime();
        AtomicLong lastAnswer = new AtomicLong(start);
        runClients(clients, outcomes.length, i -> {
            List<String> q = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                q.add(options.sentences().get((int) (((long) i * k + j) % options.sentences().size())));
            }
            Answer answer = send(q);
            int wrong = ok(answer.status()) ? wrong(q, answer.translated(), references) : 0;
            outcomes[i] = new Outcome(answer.status(), answer.nanos(), wrong);
            lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
            backOff(answer.retryAfterSeconds());
        });
        double seconds = (lastAnswer.get() - start) / 1e9;
        // Requests left unsent after an interruption have no outcome.
        return new LevelResult(clients, k, seconds, Arrays.stream(outcomes).filter(Objects::nonNull).toList());
    }

    /**
     * Runs request(0..requests-1) on a thread per client, each taking the next index when its last request is
     * answered, as that many independent clients would.
     */
    private static void runClients(int clients, int requests, IntConsumer request) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < requests && !Thread.currentThread().isInterrupted();
                     i = next.getAndIncrement()) {
                    request.accept(i);
                }
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(1, TimeUnit.DAYS);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The answered sentences whose translation differs from their reference; sentences without a
     * reference are not checked. A sentence the answer has no text for is wrong.
     *
     * @param translated the answer's translatedText: a string for one sentence, else an array
     */
    static int wrong(List<String> q, JsonNode translated, Map<String, String> references) {
        JsonNode texts = translated.isArray() ? translated : JSON.createArrayNode().add(translated);
        if (texts.size() != q.size()) {
            return q.size();
        }
        int wrong = 0;
        for (int j = 0; j < q.size(); j++) {
            String reference = references.get(q.get(j));
            if (!texts.get(j).isTextual() || reference != null && !reference.equals(texts.get(j).asText())) {
                wrong++;
            }
        }
        return wrong;
    }

    private Answer send(List<String> q) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("q", q.size() == 1 ? q.get(0) : q);
        body.put("source", source);
        body.put("target", target);
        if (options.apiKey() != null) {
            body.put("api_key", options.apiKey());
        }
        long sent = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(options.base().resolve("translate")).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Answer(IO_ERROR, System.nanoTime() - sent, MissingNode.getInstance(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(IO_ERROR, System.nanoTime() - sent, MissingNode.getInstance(), 0);
        }
        long nanos = System.nanoTime() - sent;
        JsonNode translated = MissingNode.getInstance();
        if (ok(r.statusCode())) {
            try {
                translated = JSON.readTree(r.body()).path("translatedText");
            } catch (IOException e) {
                // Not JSON: answered, but with no text, so its sentences count as wrong.
            }
        }
        long retryAfter = 0;
        if (r.statusCode() == 429 || r.statusCode() == 503) {
            try {
                retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElse("0").strip());
            } catch (NumberFormatException e) {
                // An HTTP date instead of seconds: retry at once, as without the header.
            }
        }
        return new Answer(r.statusCode(), nanos, translated, retryAfter);
    }

    /** A client told to retry later waits as asked (at most {@value #MAX_BACK_OFF_S} s), as a well-behaved client does. */
    private static void backOff(long seconds) {
        if (seconds <= 0) {
            return;
        }
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(Math.min(seconds, MAX_BACK_OFF_S)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(options.base().resolve(path))
                        .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /" + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** Whether a request was answered: a 2xx status. */
    static boolean ok(int status) {
        return status >= 200 && status < 300;
    }

    /** The q-quantile in milliseconds (nearest rank); null when nothing was measured. */
    static Double percentileMs(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return null;
        }
        int i = (int) Math.ceil(q * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }
}
