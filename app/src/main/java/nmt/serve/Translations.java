package nmt.serve;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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

    Translations(ModelCatalog catalog, ServeLimits limits) {
        this.catalog = catalog;
        this.limits = limits;
    }

    /**
     * LibreTranslate's {@code POST /translate}: texts cut into sentences, translated with the
     * model's beam. {@code alternatives: N} asks for up to N other translations of each text: the
     * k-th joins each sentence's k-th best hypothesis (its best where it has fewer), decoded with a
     * beam of at least N + 1; those equal to the translation or to an earlier one are left out.
     */
    Map<String, Object> libreTranslate(RequestFields fields, Context ctx) {
        RequestFields.Texts texts = fields.texts();
        String source = fields.required("source");
        String target = fields.required("target");
        String format = fields.string("format");
        if (format != null && !format.isEmpty() && !"text".equals(format)) {
            throw ApiError.badRequest(format + " format is not supported");
        }
        int alternatives = alternatives(fields);
        ServedModel model = catalog.find(source, target);
        List<Segments> segments = new ArrayList<>(texts.items().size());
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < texts.items().size(); i++) {
            checkLength(texts.items().get(i), i);
            Segments s = Segments.split(texts.items().get(i));
            segments.add(s);
            sentences.addAll(s.sentences());
        }
        checkCount(sentences.size(), ctx);
        int beam = Math.max(model.defaultBeam(), alternatives + 1);
        List<List<Hypothesis>> found = await(model.translate(sentences, beam, alternatives + 1));
        Translator translator = model.translator(beam);
        List<String> translated = new ArrayList<>(texts.items().size());
        List<List<String>> others = new ArrayList<>(texts.items().size());
        int from = 0;
        for (Segments s : segments) {
            List<List<Hypothesis>> ofText = found.subList(from, from + s.sentences().size());
            from += s.sentences().size();
            String best = s.join(ranked(translator, ofText, 0));
            List<String> alternativeTexts = new ArrayList<>();
            for (int k = 1; k <= alternatives; k++) {
                String alternative = s.join(ranked(translator, ofText, k));
                if (!alternative.equals(best) && !alternativeTexts.contains(alternative)) {
                    alternativeTexts.add(alternative);
                }
            }
            translated.add(best);
            others.add(alternativeTexts);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("translatedText", texts.array() ? translated : translated.get(0));
        if (alternatives > 0) {
            answer.put("alternatives", texts.array() ? others : others.get(0));
        }
        if ("auto".equals(source)) {
            Map<String, Object> detected = Map.of("language", model.source(), "confidence", 100.0);
            answer.put("detectedLanguage", texts.array() ? Collections.nCopies(translated.size(), detected)
                    : detected);
        }
        return answer;
    }

    /** Each sentence's k-th best translation, or its best where it has fewer; "" for a sentence without tokens. */
    private static List<String> ranked(Translator translator, List<List<Hypothesis>> sentences, int k) {
        List<String> parts = new ArrayList<>(sentences.size());
        for (List<Hypothesis> nbest : sentences) {
            parts.add(nbest.isEmpty() ? "" : translator.detokenize(nbest.get(Math.min(k, nbest.size() - 1))));
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
        checkCount(texts.items().size(), ctx);
        List<List<Hypothesis>> found = await(model.translate(texts.items(), beam, nbest));
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

    private void checkCount(int sentences, Context ctx) {
        ctx.attribute(SENTENCES, sentences);
        if (sentences > limits.maxSentences()) {
            throw ApiError.badRequest("the request has " + sentences + " sentences; the limit is " + limits.maxSentences());
        }
    }

    private List<List<Hypothesis>> await(CompletableFuture<List<List<Hypothesis>>> result) {
        try {
            return result.get(limits.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            throw new ApiError(503, "no translation within " + limits.timeoutMs() + " ms; the server is overloaded");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "the server is shutting down");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
