package nmt.eval;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The tokenizations sacreBLEU applies before counting n-grams; each returns space-joined tokens. */
public enum BleuTokenizer {
    /** mteval-v13a, sacreBLEU's default. */
    THIRTEEN_A("13a") {
        private final Pattern punctuation = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
        private final Pattern periodCommaAfterNonDigit = Pattern.compile("([^0-9])([\\.,])");
        private final Pattern periodCommaBeforeNonDigit = Pattern.compile("([\\.,])([^0-9])");
        private final Pattern dashAfterDigit = Pattern.compile("([0-9])(-)");

        @Override
        public String tokenize(String line) {
            line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
            if (line.contains("&")) {
                line = line.replace("&quot;", "\"").replace("&amp;", "&")
                        .replace("&lt;", "<").replace("&gt;", ">");
            }
            line = " " + line + " ";
            line = punctuation.matcher(line).replaceAll(" $1 ");
            line = periodCommaAfterNonDigit.matcher(line).replaceAll("$1 $2 ");
            line = periodCommaBeforeNonDigit.matcher(line).replaceAll(" $1 $2");
            line = dashAfterDigit.matcher(line).replaceAll("$1 $2 ");
            return String.join(" ", PythonText.split(line));
        }
    },
    /** mteval-v14 international: Unicode punctuation and symbols split off. */
    INTL("intl") {
        private final Pattern punctAfterNonNumber = Pattern.compile("(\\P{N})(\\p{P})");
        private final Pattern punctBeforeNonNumber = Pattern.compile("(\\p{P})(\\P{N})");
        private final Pattern symbol = Pattern.compile("(\\p{S})");

        @Override
        public String tokenize(String line) {
            line = punctAfterNonNumber.matcher(line).replaceAll("$1 $2 ");
            line = punctBeforeNonNumber.matcher(line).replaceAll(" $1 $2");
            line = symbol.matcher(line).replaceAll(" $1 ");
            return String.join(" ", PythonText.split(line));
        }
    },
    /** Every character is a token (for languages written without spaces). */
    CHAR("char") {
        @Override
        public String tokenize(String line) {
            return line.codePoints().mapToObj(Character::toString).collect(Collectors.joining(" "));
        }
    },
    NONE("none") {
        @Override
        public String tokenize(String line) {
            return line;
        }
    };

    private final String signatureName;

    BleuTokenizer(String signatureName) {
        this.signatureName = signatureName;
    }

    public abstract String tokenize(String line);

    /** The name in sacreBLEU's signature and on the command line. */
    public String signatureName() {
        return signatureName;
    }

    public static BleuTokenizer fromName(String name) {
        for (BleuTokenizer t : values()) {
            if (t.signatureName.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown BLEU tokenizer '" + name + "' (expected 13a, intl, char or none)");
    }
}
