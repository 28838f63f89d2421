package nmt.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import nmt.modeldir.TranslationModel;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: LibreTranslate's API ({@code POST /translate}, {@code /detect},
 * {@code /translate_file} and {@code GET /download_file}, {@code GET /languages},
 * {@code /frontend/settings}, {@code /suggest}), a richer {@code POST /v1/translate}, {@code /health},
 * {@code /metrics}, its OpenAPI document at {@code /spec} and the page at {@code /}.
 * Javalin (on Jetty) parses HTTP; every refusal is a JSON {@code {"error": …}} with a 4xx status.
 */
public final class TranslationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TranslationServer.class);
    /** How long a stop waits for requests in flight. */
    private static final long STOP_TIMEOUT_MS = 30_000;
    /**
     * The method each endpoint answers; another method on it is 405, as LibreTranslate answers.
     * These are also the paths counted apart in the metrics; any other is "other", so random paths
     * cannot grow them.
     */
    private static final Map<String, String> METHODS = Map.ofEntries(Map.entry("/", "GET"),
            Map.entry("/translate", "POST"), Map.entry("/v1/translate", "POST"), Map.entry("/languages", "GET"),
            Map.entry("/health", "GET"), Map.entry("/metrics", "GET"), Map.entry("/frontend/settings", "GET"),
            Map.entry("/suggest", "POST"), Map.entry("/spec", "GET"), Map.entry("/detect", "POST"),
            Map.entry("/translate_file", "POST"), Map.entry("/download_file", "GET"));
    /** The endpoints that translate or detect, counted by {@code --req-limit}. */
    private static final List<String> LIMITED = List.of("/translate", "/v1/translate", "/detect", "/translate_file");
    /** The file types {@code /translate_file} takes: plain text and HTML. */
    static final List<String> FILE_FORMATS = List.of(".txt", ".html", ".htm");
    /** Request attribute: refused by an endpoint (a 404 for a file it no longer has), which the 404 page must keep. */
    private static final String REFUSED = "nmt.refused";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What LibreTranslate's page waits after typing before it translates, in ms. */
    private static final int FRONTEND_TIMEOUT_MS = 500;

    /**
     * @param host        the address to bind
     * @param port        0 picks a free port
     * @param apiKey      required on translation requests when not null
     * @param corsOrigins origins allowed to call the API from a browser ("*" for any); empty turns CORS off
     */
    public record Options(String host, int port, String apiKey, List<String> corsOrigins, ServeLimits limits) {
    }

    private final ModelCatalog catalog;
    private final ServerMetrics metrics;
    private final Javalin app;
    private final byte[] apiKey;
    private final String page;
    private final String spec;
    private volatile boolean stopping;

    private TranslationServer(ModelCatalog catalog, ServerMetrics metrics, Options options) {
        this.catalog = catalog;
        this.metrics = metrics;
        this.apiKey = options.apiKey() == null ? null : options.apiKey().getBytes(StandardCharsets.UTF_8);
        this.page = resource("index.html");
        this.spec = resource("openapi.json");
        Translations translations = new Translations(catalog, options.limits(),
                new LanguageIdentifier(catalog.codes()));
        FileStore files = new FileStore(options.limits().fileStoreBytes(), options.limits().fileTtlMs(),
                System::nanoTime);
        RequestLimiter limiter = new RequestLimiter(options.limits().requestsPerMinute(), System::nanoTime);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = options.limits().maxBodyBytes();
            // Uploads stay in memory: the body limit already bounds them.
            config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE,
                    options.limits().maxBodyBytes()), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(options.limits().maxBodyBytes(), SizeUnit.BYTES);
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(STOP_TIMEOUT_MS);
                server.setErrorHandler(new JsonBadMessages());
            });
            config.requestLogger.http(this::logged);
            if (!options.corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    if (options.corsOrigins().contains("*")) {
                        rule.anyHost();
                    } else {
                        rule.allowHost(options.corsOrigins().get(0),
                                options.corsOrigins().subList(1, options.corsOrigins().size()).toArray(String[]::new));
                    }
                }));
            }
        });
        app.before(ctx -> checkBody(ctx, options.limits().maxBodyBytes()));
        for (String path : LIMITED) {
            app.before(path, ctx -> limiter.admit(ctx.ip()));
        }
        app.post("/translate", ctx -> {
            RequestFields fields = RequestFields.of(ctx);
            checkKey(fields);
            ctx.json(translations.libreTranslate(fields, ctx));
        });
        app.post("/v1/translate", ctx -> {
            RequestFields fields = RequestFields.of(ctx);
            checkKey(fields);
            ctx.json(translations.detailed(fields, ctx));
        });
        app.post("/detect", ctx -> {
            RequestFields fields = RequestFields.of(ctx);
            checkKey(fields);
            String q = fields.string("q");
            if (q == null || q.isBlank()) {
                throw RequestFields.missing("q");
            }
            ctx.json(translations.detect(q));
        });
        app.post("/translate_file", ctx -> {
            RequestFields fields = RequestFields.of(ctx);
            checkKey(fields);
            TranslatedFile.Upload upload = TranslatedFile.read(ctx, fields);
            String translated = translations.translateFile(upload, ctx);
            String name = files.put(upload.name(), upload.contentType(),
                    translated.getBytes(StandardCharsets.UTF_8));
            // Behind a TLS proxy the client reached us over https; the proxy says so.
            String scheme = ctx.header("X-Forwarded-Proto") != null ? ctx.header("X-Forwarded-Proto") : ctx.scheme();
            ctx.json(Map.of("translatedFileUrl", scheme + "://" + ctx.host() + "/download_file/" + name));
        });
        app.get("/download_file/{name}", ctx -> {
            FileStore.Stored stored = files.get(ctx.pathParam("name"));
            ctx.header("Content-Disposition", "attachment; filename=\"" + stored.downloadName() + "\"");
            // A translated page keeps its scripts: a browser must save it, never render it from this origin.
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.contentType(stored.contentType()).result(stored.bytes());
        });
        app.get("/languages", ctx -> ctx.json(catalog.languages()));
        app.get("/health", ctx -> {
            ctx.status(stopping ? 503 : 200);
            ctx.json(Map.of("status", stopping ? "stopping" : "ok"));
        });
        app.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
        app.get("/frontend/settings", ctx -> ctx.json(frontendSettings(options)));
        app.get("/spec", ctx -> ctx.contentType("application/json").result(spec));
        app.post("/suggest", ctx -> {
            throw new ApiError(403, "Suggestions are disabled on this server.");
        });
        app.get("/", ctx -> ctx.html(page));
        app.exception(ApiError.class, (e, ctx) -> {
            ctx.attribute(REFUSED, Boolean.TRUE);
            error(ctx, e.status(), e.getMessage());
        });
        app.exception(BatchingQueue.FullException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            error(ctx, 429, e.getMessage());
        });
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); the server log has the details");
        });
        app.error(404, ctx -> {
            if (ctx.attribute(REFUSED) != null) {
                return;
            }
            String allowed = METHODS.get(endpoint(ctx.path()));
            if (allowed != null && !allowed.equals(ctx.method().name())) {
                ctx.header("Allow", allowed);
                error(ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path() + "; use " + allowed);
            } else {
                error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        app.start(options.host(), options.port());
    }

    /**
     * LibreTranslate's {@code GET /frontend/settings}: the limits a page should respect, whether a
     * key is needed, the features on offer (files, no suggestions), and the
     * first served pair as the page's default.
     */
    private Map<String, Object> frontendSettings(Options options) {
        ServedModel first = catalog.first();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("charLimit", options.limits().maxChars());
        settings.put("frontendTimeout", FRONTEND_TIMEOUT_MS);
        settings.put("apiKeys", apiKey != null);
        settings.put("keyRequired", apiKey != null);
        settings.put("suggestions", false);
        settings.put("filesTranslation", true);
        settings.put("supportedFilesFormat", FILE_FORMATS);
        settings.put("language", new DefaultPair(new Named(first.source(), ModelCatalog.name(first.source())),
                new Named(first.target(), ModelCatalog.name(first.target()))));
        return settings;
    }

    /** A language as the settings name it. */
    private record Named(String code, String name) {
    }

    /** The page's default language pair. */
    private record DefaultPair(Named source, Named target) {
    }

    /** Serves the models (already loaded; the server closes them) until {@link #close}. */
    public static TranslationServer start(List<LoadedModel> models, Options options) {
        ServerMetrics metrics = new ServerMetrics();
        ModelCatalog catalog = new ModelCatalog();
        try {
            for (LoadedModel m : models) {
                catalog.add(new ServedModel(m.model(), options.limits(), metrics), m.directory());
            }
            return new TranslationServer(catalog, metrics, options);
        } catch (RuntimeException e) {
            catalog.close();
            throw e;
        }
    }

    /** A model (or ensemble) and the directories it came from, for messages. */
    public record LoadedModel(TranslationModel model, String directory) {
    }

    /** The served language pairs, as source-target. */
    public List<String> pairs() {
        return catalog.languages().stream().flatMap(l -> l.targets().stream().map(t -> l.code() + "-" + t)).toList();
    }

    public int port() {
        return app.port();
    }

    /** Stops accepting connections, answers the requests in flight, then frees the models. */
    @Override
    public void close() {
        stopping = true;
        app.stop();
        catalog.close();
    }

    private void checkBody(Context ctx, long maxBytes) {
        if (!"POST".equals(ctx.method().name())) {
            return;
        }
        long length = ctx.req().getContentLengthLong();
        if (length < 0 && ctx.header("Transfer-Encoding") != null) {
            throw new ApiError(411, "send the request body with a Content-Length header");
        }
        if (length > maxBytes) {
            throw new ApiError(413, "the request body has " + length + " bytes; the limit is " + maxBytes);
        }
    }

    /** The API key, compared in constant time; 403 when one is set and the request's differs. */
    private void checkKey(RequestFields fields) {
        if (apiKey == null) {
            return;
        }
        String given = fields.string("api_key");
        if (given == null || !MessageDigest.isEqual(apiKey, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(403, given == null ? "this server requires an api_key" : "invalid api_key");
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message));
    }

    /**
     * Jetty's answer to a request it cannot route at all (an encoded "/" or ".." in the path, a
     * malformed header) in the API's shape, {@code {"error": …}}, instead of its HTML page.
     */
    private static final class JsonBadMessages extends ErrorHandler {
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            String message = "the server cannot read this request" + (reason == null ? "" : ": " + reason);
            try {
                return ByteBuffer.wrap(JSON.writeValueAsBytes(Map.of("error", message)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void logged(Context ctx, Float ms) {
        Integer sentences = ctx.attribute(Translations.SENTENCES);
        String endpoint = endpoint(ctx.path());
        metrics.request(METHODS.containsKey(endpoint) ? endpoint : "other", ctx.statusCode(), (long) (ms * 1e6));
        LOG.info("{} {} {} {} sentences {} ms", ctx.method(), ctx.path(), ctx.statusCode(),
                sentences == null ? 0 : sentences, String.format(Locale.ROOT, "%.1f", ms));
    }

    /** The endpoint a path belongs to: itself, or /download_file for a file's download. */
    private static String endpoint(String path) {
        return path.startsWith("/download_file/") ? "/download_file" : path;
    }

    private static String resource(String name) {
        try (InputStream in = TranslationServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
