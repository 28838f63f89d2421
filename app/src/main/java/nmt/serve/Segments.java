package nmt.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nmt.decode.Hypothesis;
import nmt.decode.Translator;

/**
 * A text cut into the sentences a sentence-level model translates, and put back together: lines
 * stay lines, and a line's sentences (split after . ! ? … before an upper-case letter) are joined
 * with the whitespace that separated them.
 */
final class Segments implements Translatable {
    private static final Pattern BOUNDARY = Pattern.compile("(?<=[.!?…][\"'»”)]?)(\\s+)(?=[\"'«“(]?\\p{Lu})");
    private static final Pattern LINE = Pattern.compile("\\r?\\n");

    private final List<String> sentences = new ArrayList<>();
    /** What follows each sentence: a line break, the whitespace between two sentences, or "" after the last. */
    private final List<String> separators = new ArrayList<>();

    private Segments() {
    }

    static Segments split(String text) {
        Segments s = new Segments();
        Matcher lines = LINE.matcher(text);
        int start = 0;
        while (lines.find()) {
            s.addLine(text.substring(start, lines.start()), lines.group());
            start = lines.end();
        }
        s.addLine(text.substring(start), "");
        return s;
    }

    private void addLine(String line, String end) {
        Matcher m = BOUNDARY.matcher(line);
        int start = 0;
        while (m.find()) {
            sentences.add(line.substring(start, m.start()));
            separators.add(m.group(1));
            start = m.end();
        }
        sentences.add(line.substring(start));
        separators.add(end);
    }

    @Override
    public List<String> sentences() {
        return sentences;
    }

    /** What follows sentence i: a line break, the whitespace between two sentences, or "" after the last. */
    String separator(int i) {
        return separators.get(i);
    }

    @Override
    public String translated(List<Hypothesis> hypotheses, Translator translator) {
        List<String> texts = new ArrayList<>(hypotheses.size());
        for (Hypothesis h : hypotheses) {
            texts.add(h == null ? "" : translator.detokenize(h));
        }
        return join(texts);
    }

    /** The text again, with each sentence replaced by its translation. */
    String join(List<String> translations) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < translations.size(); i++) {
            out.append(translations.get(i)).append(separators.get(i));
        }
        return out.toString();
    }
}
