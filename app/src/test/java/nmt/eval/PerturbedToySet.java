package nmt.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The toy test set against a perturbed copy of itself: line i loses its last word when i % 3 == 0
 * and swaps its first two words when i is odd (words split on single spaces), as in
 * {@code w = line.split(' ')} in Python.
 */
final class PerturbedToySet {
    private PerturbedToySet() {
    }

    static List<String> references() throws IOException {
        return Files.readAllLines(Path.of("data/toy/test.fr"), StandardCharsets.UTF_8);
    }

    static List<String> hypotheses(List<String> references) {
        List<String> hyps = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            List<String> w = new ArrayList<>(Arrays.asList(references.get(i).split(" ", -1)));
            if (i % 3 == 0) {
                w.remove(w.size() - 1);
            }
            if (i % 2 == 1 && w.size() >= 2) {
                String first = w.get(0);
                w.set(0, w.get(1));
                w.set(1, first);
            }
            hyps.add(String.join(" ", w));
        }
        return hyps;
    }
}
