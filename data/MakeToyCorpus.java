import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Rebuilds data/toy from the Tatoeba English–French TSV, deterministically:
 * {@code java data/MakeToyCorpus.java ../shared/corpora/tatoeba-eng-fra/eng-fra.tsv data/toy}.
 * Pairs with more than 10 words on a side are dropped; distinct English sentences are shuffled
 * with a fixed seed; the first 1,000 go to test and the next 1,000 to dev (their first French
 * translation each), and every pair of the remaining English sentences goes to train, so no
 * English sentence of dev or test appears in train.
 */
public class MakeToyCorpus {
    private static final int MAX_WORDS = 10;
    private static final int HELD_OUT = 1000;
    private static final long SEED = 20261122L;

    public static void main(String[] args) throws IOException {
        Path tsv = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Map<String, List<String>> byEnglish = new LinkedHashMap<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            String en = f[0].strip();
            String fr = f[1].strip();
            if (words(en) <= MAX_WORDS && words(fr) <= MAX_WORDS) {
                byEnglish.computeIfAbsent(en, k -> new ArrayList<>()).add(fr);
            }
        }
        List<String> english = new ArrayList<>(byEnglish.keySet());
        Random random = new Random(SEED);
        Collections.shuffle(english, random);
        Files.createDirectories(out);
        write(out, "test", english.subList(0, HELD_OUT), byEnglish, false);
        write(out, "dev", english.subList(HELD_OUT, 2 * HELD_OUT), byEnglish, false);
        write(out, "train", english.subList(2 * HELD_OUT, english.size()), byEnglish, true);
    }

    private static int words(String s) {
        return s.split("\\s+").length;
    }

    private static void write(Path dir, String split, List<String> english, Map<String, List<String>> byEnglish,
                              boolean allTranslations) throws IOException {
        List<String> en = new ArrayList<>();
        List<String> fr = new ArrayList<>();
        for (String e : english) {
            List<String> translations = byEnglish.get(e);
            for (String f : allTranslations ? translations : translations.subList(0, 1)) {
                en.add(e);
                fr.add(f);
            }
        }
        Files.write(dir.resolve(split + ".en"), en, StandardCharsets.UTF_8);
        Files.write(dir.resolve(split + ".fr"), fr, StandardCharsets.UTF_8);
    }
}
