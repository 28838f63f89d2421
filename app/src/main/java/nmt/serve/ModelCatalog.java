package nmt.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The served models by language pair, and the languages as LibreTranslate lists them. */
final class ModelCatalog implements AutoCloseable {
    /** One entry of {@code GET /languages}. */
    record Language(String code, String name, List<String> targets) {
    }

    private final Map<String, ServedModel> byPair = new LinkedHashMap<>();

    /** @throws IllegalArgumentException when two models translate the same pair */
    void add(ServedModel model, String directory) {
        String pair = key(model.source(), model.target());
        if (byPair.containsKey(pair)) {
            throw new IllegalArgumentException("model " + directory + " translates " + model.source() + " to "
                    + model.target() + ", like a model given before it; load the directories of one pair together "
                    + "(ModelDirectory.load) to serve them as an ensemble");
        }
        byPair.put(pair, model);
    }

    /**
     * The model for a pair; {@code auto} as the source means the only source language served to
     * that target. Refusals use LibreTranslate's words, which its clients match on.
     */
    ServedModel find(String source, String target) {
        checkServed(source, target);
        String from = source;
        if ("auto".equals(source)) {
            List<String> sources = sourcesInto(target);
            if (sources.size() != 1) {
                throw ApiError.badRequest(sources.isEmpty() ? target + " is not a served target language"
                        : "source 'auto' is ambiguous for target " + target + ": name one of " + sources);
            }
            from = sources.get(0);
        }
        ServedModel model = byPair.get(key(from, target));
        if (model == null) {
            throw ApiError.badRequest(name(target) + " (" + target + ") is not available as a target language from "
                    + name(from) + " (" + from + ")");
        }
        return model;
    }

    /** The source languages served into a target. */
    List<String> sourcesInto(String target) {
        List<String> sources = new ArrayList<>();
        for (ServedModel m : byPair.values()) {
            if (m.target().equals(target)) {
                sources.add(m.source());
            }
        }
        return sources;
    }

    /** Refuses a language no served model has, in LibreTranslate's words; {@code auto} passes as a source. */
    void checkServed(String source, String target) {
        Set<String> served = codes();
        if (!"auto".equals(source) && !served.contains(source)) {
            throw ApiError.badRequest(source + " is not supported");
        }
        if (!served.contains(target)) {
            throw ApiError.badRequest(target + " is not supported");
        }
    }

    /** The codes of every served language, source or target. */
    Set<String> codes() {
        Set<String> served = new LinkedHashSet<>();
        for (ServedModel m : byPair.values()) {
            served.add(m.source());
            served.add(m.target());
        }
        return served;
    }

    /** Every served language, with the targets it translates to (none for a language only translated into). */
    List<Language> languages() {
        Map<String, List<String>> targets = new LinkedHashMap<>();
        for (ServedModel m : byPair.values()) {
            targets.computeIfAbsent(m.source(), k -> new ArrayList<>()).add(m.target());
        }
        for (ServedModel m : byPair.values()) {
            targets.putIfAbsent(m.target(), new ArrayList<>());
        }
        List<Language> out = new ArrayList<>();
        targets.forEach((code, to) -> out.add(new Language(code, name(code), to)));
        return out;
    }

    /** The English name of an ISO 639 code, or the code itself when Java does not know it. */
    static String name(String code) {
        String name = Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH);
        return name.isEmpty() ? code : name;
    }

    private static String key(String source, String target) {
        return source + "\u0000" + target;
    }

    /** The model given first: its pair is the page's default. */
    ServedModel first() {
        return byPair.values().iterator().next();
    }

    boolean isEmpty() {
        return byPair.isEmpty();
    }

    @Override
    public void close() {
        byPair.values().forEach(ServedModel::close);
    }
}
