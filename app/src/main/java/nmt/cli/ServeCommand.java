package nmt.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import nmt.config.Config;
import nmt.engine.Engines;
import nmt.modeldir.ModelDirectory;
import nmt.serve.ServeLimits;
import nmt.serve.TranslationServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;

/** Serves trained models over HTTP with LibreTranslate's API until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve models over HTTP: LibreTranslate's API (/translate, /detect, /translate_file, "
                + "/languages, ...), POST /v1/translate, /health, /metrics and a page at /.")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A directory written by train; repeat it to serve several language pairs. Directories of "
                    + "the same pair decode as an ensemble (the mean of their log-probabilities), as in translate.")
    List<Path> modelDirs;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "5000", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require this api_key on translation requests (default: none; or set NMT_API_KEY).")
    String apiKey = System.getenv("NMT_API_KEY");

    @Option(names = "--cors", paramLabel = "ORIGIN",
            description = "Allow browser pages from this origin to call the API; repeatable, * for any (default: off).")
    List<String> cors = new ArrayList<>();

    @Option(names = "--max-batch-sentences", paramLabel = "N", defaultValue = "32",
            description = "Sentences of concurrent requests decoded together (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-delay-ms", paramLabel = "D", defaultValue = "5",
            description = "How long a sentence waits for others to fill its batch (default ${DEFAULT-VALUE}).")
    int maxDelayMs;

    @Option(names = "--max-queue-sentences", paramLabel = "N", defaultValue = "2048",
            description = "Sentences waiting per model before requests get 429 (default ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-chars", paramLabel = "C", defaultValue = "5000",
            description = "Characters per text (default ${DEFAULT-VALUE}).")
    int maxChars;

    @Option(names = "--max-sentences", paramLabel = "N", defaultValue = "256",
            description = "Sentences per request (default ${DEFAULT-VALUE}).")
    int maxSentences;

    @Option(names = "--max-body-bytes", paramLabel = "B", defaultValue = "1048576",
            description = "Request body size (default ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--max-beam", paramLabel = "K", defaultValue = "16",
            description = "Largest beam a /v1/translate request may ask for (default ${DEFAULT-VALUE}).")
    int maxBeam;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "30000",
            description = "How long a request waits for its translations before a 503 (default ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--req-limit", paramLabel = "N", defaultValue = "0",
            description = "Requests per minute and client address to /translate, /detect and /translate_file before "
                    + "a 429, as LibreTranslate's --req-limit (default ${DEFAULT-VALUE}: no limit).")
    int reqLimit;

    @Option(names = "--file-store-mb", paramLabel = "MB", defaultValue = "64",
            description = "Memory for translated files awaiting download; the oldest go first (default ${DEFAULT-VALUE}).")
    long fileStoreMb;

    @Option(names = "--file-ttl-minutes", paramLabel = "M", defaultValue = "60",
            description = "How long a translated file can be downloaded (default ${DEFAULT-VALUE}).")
    long fileTtlMinutes;

    @Option(names = "--threads", paramLabel = "N",
            description = "PyTorch threads for decoding (default: the cores less one, at least 1, so that taking "
                    + "and answering requests does not stall the decoder's threads; OMP_NUM_THREADS, where set, "
                    + "stands instead of that default).")
    Integer threads;

    @Mixin
    DecodingOptions decoding;

    @Override
    public Integer call() throws InterruptedException {
        checkPositive("--max-batch-sentences", maxBatch);
        checkPositive("--max-queue-sentences", maxQueue);
        checkPositive("--max-chars", maxChars);
        checkPositive("--max-sentences", maxSentences);
        checkPositive("--max-body-bytes", maxBody);
        if (maxSentences > maxQueue) {
            throw new ParameterException(spec.commandLine(), "--max-sentences " + maxSentences
                    + " is more than --max-queue-sentences " + maxQueue + ": a request that large could never be queued");
        }
        checkPositive("--max-beam", maxBeam);
        checkPositive("--timeout-ms", timeoutMs);
        checkPositive("--file-store-mb", fileStoreMb);
        checkPositive("--file-ttl-minutes", fileTtlMinutes);
        if (reqLimit < 0) {
            throw new ParameterException(spec.commandLine(), "--req-limit must be at least 0, got " + reqLimit);
        }
        if (maxDelayMs < 0) {
            throw new ParameterException(spec.commandLine(), "--max-delay-ms must be at least 0, got " + maxDelayMs);
        }
        if (threads != null) {
            checkPositive("--threads", threads);
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, got " + port);
        }
        List<TranslationServer.LoadedModel> models = new ArrayList<>();
        TranslationServer server;
        int decodingThreads;
        try {
            if (threads != null || !Engines.threadsChosen()) {
                Engines.decodingThreads(threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
            }
            decodingThreads = Engines.decodingThreads();
            List<String> settings = decoding.overrides().after(settings());
            // Directories of one language pair decode together, as translate's repeated --model does.
            Map<String, List<Path>> byPair = new LinkedHashMap<>();
            for (Path dir : modelDirs) {
                Config config = ModelDirectory.open(dir).config(settings);
                byPair.computeIfAbsent(config.data().src() + "-" + config.data().trg(), k -> new ArrayList<>())
                        .add(dir);
            }
            for (List<Path> dirs : byPair.values()) {
                models.add(new TranslationServer.LoadedModel(ModelDirectory.load(dirs, settings),
                        dirs.stream().map(Path::toString).collect(Collectors.joining(" + "))));
            }
            ServeLimits limits = ServeLimits.builder().maxBatchSentences(maxBatch).maxDelayMs(maxDelayMs)
                    .maxQueueSentences(maxQueue).maxChars(maxChars).maxSentences(maxSentences).maxBodyBytes(maxBody)
                    .maxBeam(maxBeam).timeoutMs(timeoutMs).requestsPerMinute(reqLimit)
                    .fileStoreBytes(fileStoreMb << 20).fileTtlMs(fileTtlMinutes * 60_000L).build();
            server = TranslationServer.start(models, new TranslationServer.Options(host, port, apiKey, cors, limits));
        } catch (RuntimeException e) {
            models.forEach(m -> m.model().close());
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        LOG.info("serving {} on http://{}:{}/ ({} decoding thread{})", String.join(", ", server.pairs()), host,
                server.port(), decodingThreads, decodingThreads == 1 ? "" : "s");
        stop.await();
        LOG.info("stopping: finishing the requests in flight");
        server.close();
        LOG.info("stopped");
        return 0;
    }

    /** Settings every served model gets: the batch size follows the server's batches unless --batch-size says. */
    private List<String> settings() {
        List<String> settings = new ArrayList<>();
        if (decoding.overrides().batchSize() == null) {
            settings.add("decoding.batch_size=" + maxBatch);
        }
        return settings;
    }

    private void checkPositive(String option, long value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
        }
    }
}
