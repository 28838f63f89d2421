package nmt.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Words and punctuation as tokens, reversibly: a piece that was glued to its neighbour carries the
 * joiner mark U+FFED on that side (OpenNMT's convention), so detokenization restores the exact text
 * in any language, French "Va !" and English "Go!" alike, without per-language spacing rules.
 * Numbers keep their separators ("1,000", "3.5") and hyphenated words stay whole. Apostrophes
 * between letters follow the language: French-style elision splits after them ("l'" "homme"),
 * English splits before them ("don" "'t"), other languages keep the word whole.
 */
public final class WordTokenizer implements Tokenizer {
    static final int JOINER = 0xFFED;
    private static final String JOINER_TEXT = Character.toString(JOINER);
    private static final Set<String> ELISION_LANGUAGES = Set.of("fr", "it", "ca");
    private static final Set<String> CLITIC_LANGUAGES = Set.of("en");

    private enum Apostrophe { KEEP, SPLIT_AFTER, SPLIT_BEFORE }

    private final Apostrophe apostrophe;

    public WordTokenizer(String lang) {
        String base = lang == null ? "" : lang.toLowerCase(java.util.Locale.ROOT).split("[-_]")[0];
        this.apostrophe = ELISION_LANGUAGES.contains(base) ? Apostrophe.SPLIT_AFTER
                : CLITIC_LANGUAGES.contains(base) ? Apostrophe.SPLIT_BEFORE : Apostrophe.KEEP;
    }

    @Override
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (String chunk : text.split(" ")) {
            if (!chunk.isEmpty()) {
                markJoins(pieces(chunk), tokens);
            }
        }
        return tokens;
    }

    @Override
    public String detokenize(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        boolean glued = true;
        for (String token : tokens) {
            boolean leading = token.startsWith(JOINER_TEXT);
            boolean trailing = token.length() > 1 && token.endsWith(JOINER_TEXT);
            String core = token.replace(JOINER_TEXT, "");
            if (core.isEmpty()) {
                continue;
            }
            if (!glued && !leading) {
                out.append(' ');
            }
            out.append(core);
            glued = trailing;
        }
        return out.toString();
    }

    /** A chunk between spaces, cut into words and single punctuation marks or symbols. */
    private List<Piece> pieces(String chunk) {
        List<Piece> pieces = new ArrayList<>();
        int[] cps = codePoints(chunk);
        int i = 0;
        while (i < cps.length) {
            int start = i;
            if (isWordChar(cps[i]) || startsClitic(cps, i)) {
                i = startsClitic(cps, i) ? i + 1 : i;
                i = wordEnd(cps, i);
            } else {
                i = symbolEnd(cps, i);
            }
            pieces.add(new Piece(new String(cps, start, i - start), isWordChar(cps[start])));
        }
        return pieces;
    }

    /** The code points of a string, without a stream: tokenizing a large corpus spends its time here. */
    private static int[] codePoints(String s) {
        int[] cps = new int[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            cps[n++] = cp;
            i += Character.charCount(cp);
        }
        return n == cps.length ? cps : Arrays.copyOf(cps, n);
    }

    /** An English clitic such as 't or 's begins at an apostrophe between two letters. */
    private boolean startsClitic(int[] cps, int i) {
        return apostrophe == Apostrophe.SPLIT_BEFORE && isApostrophe(cps[i])
                && i > 0 && Character.isLetter(cps[i - 1]) && i + 1 < cps.length && Character.isLetter(cps[i + 1]);
    }

    private int wordEnd(int[] cps, int i) {
        while (i < cps.length) {
            int c = cps[i];
            boolean hasPrev = i > 0;
            boolean hasNext = i + 1 < cps.length;
            if (isWordChar(c)) {
                i++;
            } else if (c == '-' && hasPrev && hasNext && isWordChar(cps[i - 1]) && isWordChar(cps[i + 1])) {
                i++;
            } else if ((c == '.' || c == ',') && hasPrev && hasNext
                    && Character.isDigit(cps[i - 1]) && Character.isDigit(cps[i + 1])) {
                i++;
            } else if (isApostrophe(c) && hasPrev && hasNext
                    && Character.isLetter(cps[i - 1]) && Character.isLetter(cps[i + 1])) {
                switch (apostrophe) {
                    case KEEP -> i++;
                    case SPLIT_AFTER -> {
                        return i + 1;
                    }
                    case SPLIT_BEFORE -> {
                        return i;
                    }
                }
            } else {
                return i;
            }
        }
        return i;
    }

    /** One symbol with what renders as part of it: combining marks, variation selectors, ZWJ sequences. */
    private static int symbolEnd(int[] cps, int i) {
        i++;
        while (i < cps.length) {
            int type = Character.getType(cps[i]);
            if (cps[i] == 0x200D && i + 1 < cps.length) {
                i += 2;
            } else if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK || (cps[i] >= 0x1F3FB && cps[i] <= 0x1F3FF)) {
                i++;
            } else {
                return i;
            }
        }
        return i;
    }

    private static void markJoins(List<Piece> pieces, List<String> tokens) {
        int n = pieces.size();
        boolean[] leading = new boolean[n];
        boolean[] trailing = new boolean[n];
        for (int k = 0; k + 1 < n; k++) {
            Piece next = pieces.get(k + 1);
            if (!next.word() || isApostrophe(next.text().codePointAt(0))) {
                leading[k + 1] = true;
            } else {
                trailing[k] = true;
            }
        }
        for (int k = 0; k < n; k++) {
            String text = pieces.get(k).text();
            tokens.add(leading[k] || trailing[k]
                    ? (leading[k] ? JOINER_TEXT : "") + text + (trailing[k] ? JOINER_TEXT : "") : text);
        }
    }

    private static boolean isWordChar(int cp) {
        int type = Character.getType(cp);
        return Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    private static boolean isApostrophe(int cp) {
        return cp == '\'' || cp == '\u2019';
    }

    private record Piece(String text, boolean word) {
    }

    @Override
    public String label(String token) {
        return token.replace(JOINER_TEXT, "");
    }
}
