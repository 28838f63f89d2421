package nmt.serve;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which served language a text is written in: Lingua's detector, loaded with the served languages
 * only (each language's n-gram models cost memory; all 75 would take gigabytes).
 */
final class LanguageIdentifier {
    /** A language and how sure the identifier is, 0 to 100 as LibreTranslate gives it. */
    record Guess(String language, double confidence) {
    }

    /** Served codes by Lingua's language; codes Lingua does not know are never detected. */
    private final Map<Language, String> codes = new LinkedHashMap<>();
    private final List<String> unknown = new ArrayList<>();
    /** Built by the first text to detect; null before, and always where detection is unavailable. */
    private LanguageDetector detector;

    LanguageIdentifier(Collection<String> served) {
        for (String code : served) {
            Language language = lingua(code);
            if (language == null) {
                unknown.add(code);
            } else {
                codes.put(language, code);
            }
        }
    }

    /**
     * Lingua's detector with its models loaded, made by the first text to detect, once: two
     * languages hold 60-70 MB of heap, which a server that never detects should not pay (loaded at
     * start they raised serve's peak RSS by 100-200 MB). Loaded lazily by Lingua itself instead,
     * four requests detecting at once loaded them side by side: 240 MB of heap, 690 MB peak RSS.
     */
    private synchronized LanguageDetector detector() {
        if (detector == null) {
            detector = LanguageDetectorBuilder.fromLanguages(codes.keySet().toArray(Language[]::new))
                    .withPreloadedLanguageModels().build();
        }
        return detector;
    }

    /**
     * The served languages the text may be in, most likely first, with confidences that sum to
     * 100; empty when the text has no letters to go by or no two served languages are known.
     */
    List<Guess> detect(String text) {
        List<Guess> guesses = new ArrayList<>();
        if (unavailable() != null) {
            return guesses;
        }
        // Lingua gives the likeliest 1 and the others their likelihood relative to it; shares of their
        // sum read as LibreTranslate's confidences.
        Map<Language, Double> relative = detector().computeLanguageConfidenceValues(text);
        double sum = relative.values().stream().mapToDouble(Double::doubleValue).sum();
        for (Map.Entry<Language, Double> e : relative.entrySet()) {
            double confidence = Math.round(e.getValue() / sum * 10_000) / 100.0;
            if (confidence > 0 && codes.containsKey(e.getKey())) {
                guesses.add(new Guess(codes.get(e.getKey()), confidence));
            }
        }
        return guesses;
    }

    /** Why detection cannot work on this server, or null when it can. */
    String unavailable() {
        // Lingua compares languages with each other: with fewer than two there is nothing to tell apart.
        if (codes.size() >= 2) {
            return null;
        }
        return "language detection needs two served languages that it knows; it does not know "
                + String.join(", ", unknown);
    }

    /** Lingua's language for an ISO 639-1 or 639-3 code, or null. */
    private static Language lingua(String code) {
        String upper = code.toUpperCase(Locale.ROOT);
        for (Language language : Language.values()) {
            if (language != Language.UNKNOWN && (language.getIsoCode639_1().name().equals(upper)
                    || language.getIsoCode639_3().name().equals(upper))) {
                return language;
            }
        }
        return null;
    }
}
