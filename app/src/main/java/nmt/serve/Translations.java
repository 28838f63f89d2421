package nmt.serve;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nmt.decode.Hypothesis;
import nmt.decode.Translator;

/** The two translation endpoints: checks a request against the limits, queues its sentences, shapes the answer. */
final class Translations {
    /** Request attribute: sentences in the request, for the request log. */
    static final String SENTENCES = "nmt.sentences";
    /** The most alternatives a request may ask for, as LibreTranslate's default alternatives_limit. */
    static final int MAX_ALTERNATIVES = 3;

    private final ModelCatalog catalog;
    private final ServeLimits limits;
    private final LanguageIdentifier identifier;

    Translations(ModelCatalog catalog, ServeLimits limits, LanguageIdentifier identifier) {
        this.catalog = catalog;
        this.limits = limits;
        this.identifier = identifier;
    }

    /**
     * LibreTranslate's {@code POST /translate}: texts (plain, or HTML with {@code format: html})
     * cut into sentences and translated with the model's beam. {@code source: auto} picks each
     * text's model by its detected language; a text already in the target language comes back as
     * it is. {@code alternatives: N} asks for up to N other translations of each text: the k-th
     * joins each sentence's k-th best hypothesis (its best where it has fewer), decoded with a beam
     * of at least N + 1; those equal to the translation or to an earlier one are left out.
     */
    Map<String, Object> libreTranslate(RequestFields fields, Context ctx) {
        RequestFields.Texts texts = fields.texts();
        String source = fields.required("source");
        String target = fields.required("target");
        boolean html = html(fields.string("format"));
        int alternatives = alternatives(fields);
        catalog.checkServed(source, target);
        List<Job> jobs = new ArrayList<>(texts.items().size());
        for (int i = 0; i < texts.items().size(); i++) {
            String text = texts.items().get(i);
            checkLength(text, i);
            Translatable unit = html ? HtmlText.parse(text, "text " + (i + 1)) : Segments.split(text);
            jobs.add(job(text, unit, source, target));
        }
        checkCount("the request", jobs.stream().mapToInt(Job::sentenceCount).sum(), limits.maxSentences(), ctx);
        translate(jobs, alternatives);
        List<String> translated = jobs.stream().map(j -> j.translations.get(0)).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("translatedText", texts.array() ? translated : translated.get(0));
        if (alternatives > 0) {
            List<List<String>> others = jobs.stream().map(j -> j.translations.subList(1, j.translations.size()))
                    .toList();
            answer.put("alternatives", texts.array() ? others : others.get(0));
        }
        if ("auto".equals(source)) {
            List<LanguageIdentifier.Guess> detected = jobs.stream().map(j -> j.detected).toList();
            answer.put("detectedLanguage", texts.array() ? detected : detected.get(0));
        }
        return answer;
    }

    /**
     * A file's text translated as {@link #libreTranslate} translates one text (a {@code .txt} as
     * plain text, an {@code .html} as a document), up to as many sentences as the queue holds.
     */
    String translateFile(TranslatedFile.Upload upload, Context ctx) {
        catalog.checkServed(upload.source(), upload.target());
        Job job = job(upload.text(), upload.unit(), upload.source(), upload.target());
        checkCount("file " + upload.name(), job.sentenceCount(), limits.maxQueueSentences(), ctx);
        translate(List.of(job), 0);
        return job.translations.get(0);
    }

    /** LibreTranslate's {@code POST /detect}: the served languages the text may be in, most likely first. */
    List<LanguageIdentifier.Guess> detect(String text) {
        checkLength(text, 0);
        if (identifier.unavailable() != null) {
            throw ApiError.badRequest(identifier.unavailable());
        }
        List<LanguageIdentifier.Guess> guesses = identifier.detect(text);
        // LibreTranslate answers at least one guess; a text without letters has none to go by.
        return guesses.isEmpty() ? List.of(new LanguageIdentifier.Guess(catalog.first().source(), 0.0)) : guesses;
    }

    private static boolean html(String format) {
        if (format == null || format.isEmpty() || "text".equals(format)) {
            return false;
        }
        if ("html".equals(format)) {
            return true;
        }
        throw ApiError.badRequest(format + " format is not supported");
    }

    /** One text of a request: what it is cut into, the model that translates it (null: kept as it is), its translations. */
    private static final class Job {
        private final String text;
        private final Translatable unit;
        private final ServedModel model;
        private final LanguageIdentifier.Guess detected;
        /** The translation, then the alternatives. */
        private final List<String> translations = new ArrayList<>();

        Job(String text, Translatable unit, ServedModel model, LanguageIdentifier.Guess detected) {
            this.text = text;
            this.unit = unit;
            this.model = model;
            this.detected = detected;
        }

        /** The sentences the model will read: none when the text is kept as it is, and blank ones cost nothing. */
        int sentenceCount() {
            return model == null ? 0 : (int) unit.sentences().stream().filter(t -> !t.isBlank()).count();
        }
    }

    /** The model for a text; with source "auto", that of the language it is detected in. */
    private Job job(String text, Translatable unit, String source, String target) {
        if (!"auto".equals(source)) {
            return new Job(text, unit, catalog.find(source, target), null);
        }
        List<LanguageIdentifier.Guess> guesses = identifier.detect(String.join(" ", unit.sentences()));
        if (guesses.isEmpty()) {
            // No letters to go by (or no detector for these languages): the one source served into the
            // target if there is one; else the text (an emoji, a number) comes back as it is.
            List<String> sources = catalog.sourcesInto(target);
            return sources.size() == 1
                    ? new Job(text, unit, catalog.find(sources.get(0), target),
                            new LanguageIdentifier.Guess(sources.get(0), 0.0))
                    : new Job(text, unit, null, new LanguageIdentifier.Guess(target, 0.0));
        }
        LanguageIdentifier.Guess best = guesses.get(0);
        ServedModel model = best.language().equals(target) ? null : catalog.find(best.language(), target);
        return new Job(text, unit, model, best);
    }

    /**
     * Translates the jobs' sentences (blank ones are left blank without decoding), those of one
     * model in one submission to its queue, and
     * fills each job's translations: the best, then up to {@code alternatives} others.
     */
    private void translate(List<Job> jobs, int alternatives) {
        Map<ServedModel, List<Job>> byModel = new LinkedHashMap<>();
        for (Job job : jobs) {
            if (job.sentenceCount() == 0) {
                // Kept as it is, or nothing but blank lines: nothing for a model to read.
                job.translations.add(job.text);
            } else {
                byModel.computeIfAbsent(job.model, k -> new ArrayList<>()).add(job);
            }
        }
        Map<ServedModel, CompletableFuture<List<List<Hypothesis>>>> futures = new LinkedHashMap<>();
        try {
            byModel.forEach((model, ofModel) -> {
                List<String> sentences = new ArrayList<>();
                ofModel.forEach(j -> j.unit.sentences().stream().filter(t -> !t.isBlank()).forEach(sentences::add));
                int beam = Math.max(model.defaultBeam(), alternatives + 1);
                futures.put(model, model.translate(sentences, beam, alternatives + 1));
            });
        } catch (RuntimeException e) {
            futures.values().forEach(f -> f.cancel(false));
            throw e;
        }
        Map<ServedModel, List<List<Hypothesis>>> found = await(futures);
        byModel.forEach((model, ofModel) -> {
            Translator translator = model.translator(Math.max(model.defaultBeam(), alternatives + 1));
            Iterator<List<Hypothesis>> results = found.get(model).iterator();
            for (Job job : ofModel) {
                List<List<Hypothesis>> ofText = new ArrayList<>();
                for (String sentence : job.unit.sentences()) {
                    ofText.add(sentence.isBlank() ? List.of() : results.next());
                }
                String best = job.unit.translated(ranked(ofText, 0), translator);
                job.translations.add(best);
                for (int k = 1; k <= alternatives; k++) {
                    String alternative = job.unit.translated(ranked(ofText, k), translator);
                    if (!job.translations.contains(alternative)) {
                        job.translations.add(alternative);
                    }
                }
            }
        });
    }

    /** Each sentence's k-th best hypothesis, or its best where it has fewer; null for a sentence without tokens. */
    private static List<Hypothesis> ranked(List<List<Hypothesis>> sentences, int k) {
        List<Hypothesis> parts = new ArrayList<>(sentences.size());
        for (List<Hypothesis> nbest : sentences) {
            parts.add(nbest.isEmpty() ? null : nbest.get(Math.min(k, nbest.size() - 1)));
        }
        return parts;
    }

    /** LibreTranslate's {@code alternatives}: 0 when absent, at most {@value #MAX_ALTERNATIVES} and below the largest beam. */
    private int alternatives(RequestFields fields) {
        String value = fields.text("alternatives");
        if (value == null || value.isBlank()) {
            return 0;
        }
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("Invalid request: alternatives parameter is not a number");
        }
        int limit = Math.min(MAX_ALTERNATIVES, limits.maxBeam() - 1);
        if (n > limit) {
            throw ApiError.badRequest("Invalid request: alternatives parameter must be <= " + limit);
        }
        return Math.max(0, n);
    }

    /** One hypothesis of {@code POST /v1/translate}; attention has a row per output token, a column per source token. */
    record Candidate(String text, double score, List<String> tokens, float[][] attention) {
    }

    /** One sentence of {@code POST /v1/translate}. */
    record Sentence(String source, List<String> sourceTokens, List<Candidate> hypotheses) {
    }

    /** Our own endpoint: each text is one sentence; beam, n-best with scores, attention on request. */
    Map<String, Object> detailed(RequestFields fields, Context ctx) {
        RequestFields.Texts texts = fields.texts();
        ServedModel model = catalog.find(fields.required("source"), fields.required("target"));
        int beam = fields.integer("beam", model.defaultBeam(), 1, limits.maxBeam());
        int nbest = fields.integer("nbest", 1, 1, beam);
        boolean attention = fields.flag("attention");
        for (int i = 0; i < texts.items().size(); i++) {
            checkLength(texts.items().get(i), i);
        }
        checkCount("the request", texts.items().size(), limits.maxSentences(), ctx);
        List<List<Hypothesis>> found = await(Map.of(model, model.translate(texts.items(), beam, nbest))).get(model);
        Translator translator = model.translator(beam);
        List<Sentence> sentences = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            List<String> sourceTokens = translator.sourceLabels(texts.items().get(i));
            List<Candidate> candidates = new ArrayList<>();
            for (Hypothesis h : found.get(i)) {
                float[][] weights = null;
                if (attention) {
                    weights = new float[h.attention().length][];
                    for (int t = 0; t < weights.length; t++) {
                        // Columns past the sentence's own tokens are the batch's padding.
                        weights[t] = Arrays.copyOf(h.attention()[t], sourceTokens.size());
                    }
                }
                candidates.add(new Candidate(translator.detokenize(h), h.score(), translator.outputLabels(h), weights));
            }
            sentences.add(new Sentence(texts.items().get(i), sourceTokens, candidates));
        }
        return Map.of("translations", sentences);
    }

    private void checkLength(String text, int index) {
        int chars = text.codePointCount(0, text.length());
        if (chars > limits.maxChars()) {
            throw ApiError.badRequest("text " + (index + 1) + " has " + chars + " characters; the limit is "
                    + limits.maxChars());
        }
    }

    private static void checkCount(String what, int sentences, int limit, Context ctx) {
        ctx.attribute(SENTENCES, sentences);
        if (sentences > limit) {
            throw ApiError.badRequest(what + " has " + sentences + " sentences; the limit is " + limit);
        }
    }

    /** The results of every future, waiting at most the request timeout for all together; none is left queued. */
    private <K> Map<K, List<List<Hypothesis>>> await(Map<K, CompletableFuture<List<List<Hypothesis>>>> futures) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.timeoutMs());
        Map<K, List<List<Hypothesis>>> results = new LinkedHashMap<>();
        try {
            for (Map.Entry<K, CompletableFuture<List<List<Hypothesis>>>> e : futures.entrySet()) {
                results.put(e.getKey(), e.getValue().get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (TimeoutException e) {
            throw new ApiError(503, "no translation within " + limits.timeoutMs() + " ms; the server is overloaded");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "the server is shutting down");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            futures.values().forEach(f -> f.cancel(false));
        }
    }
}
