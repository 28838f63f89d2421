package nmt.data;

import java.text.Normalizer;
import java.util.Locale;

/** Cleans raw text before tokenization: Unicode normalization, case, control characters, spaces. */
public final class TextNormalizer {
    private final Normalizer.Form form;
    private final boolean lowercase;

    /** @param normalization "nfc", "nfkc" or "none" */
    public TextNormalizer(String normalization, boolean lowercase) {
        this.form = switch (normalization) {
            case "nfc" -> Normalizer.Form.NFC;
            case "nfkc" -> Normalizer.Form.NFKC;
            case "none" -> null;
            default -> throw new IllegalArgumentException("unknown normalization " + normalization);
        };
        this.lowercase = lowercase;
    }

    public String normalize(String text) {
        String s = form == null || alreadyNormal(text) ? text : Normalizer.normalize(text, form);
        if (lowercase) {
            s = s.toLowerCase(Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean pendingSpace = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                pendingSpace = out.length() > 0;
            } else if (isDropped(cp)) {
                continue;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /**
     * Text below U+0300 (no combining marks) is already NFC, and below U+00A0 already NFKC: a fast
     * path, since the normalizer's own check costs as much as tokenizing.
     */
    private boolean alreadyNormal(String text) {
        char limit = form == Normalizer.Form.NFC ? '\u0300' : '\u00a0';
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= limit) {
                return false;
            }
        }
        return true;
    }

    /** Control characters, byte-order marks, and the characters our tokenizers use as markers. */
    private static boolean isDropped(int cp) {
        return Character.getType(cp) == Character.CONTROL || cp == 0xFEFF
                || cp == WordTokenizer.JOINER || cp == CharTokenizer.SPACE;
    }
}
