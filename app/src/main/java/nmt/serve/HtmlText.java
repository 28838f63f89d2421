package nmt.serve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import nmt.decode.Hypothesis;
import nmt.decode.Translator;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.ParseError;
import org.jsoup.parser.ParseErrorList;
import org.jsoup.parser.Parser;

/**
 * An HTML fragment or document, parsed by jsoup, whose text is translated sentence by sentence
 * while its markup stays. The text of each block (a paragraph, a list item, a cell: the run of
 * text and inline elements between block boundaries) is cut into sentences as plain text is, so
 * inline tags never cut a sentence. After translation an inline element wraps the output words
 * whose strongest attention falls on the source words it wrapped (per sentence the contiguous run
 * of such words with the most attention on them, grown to whole words and around its children);
 * an element whose words got no output word wraps the one output word that attends to them most.
 * Elements that keep their text ({@code script}, {@code style}, {@code code}, {@code pre},
 * {@code textarea}, {@code translate="no"}, class {@code notranslate}) and inline elements with
 * no text of their own stay whole, after the output word aligned to the source word before them.
 */
final class HtmlText implements Translatable {
    private static final Set<String> INLINE = Set.of("a", "abbr", "b", "bdi", "bdo", "big", "cite", "del", "dfn",
            "em", "font", "i", "img", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike",
            "strong", "sub", "sup", "time", "tt", "u", "var", "wbr");
    private static final Set<String> KEPT = Set.of("script", "style", "code", "pre", "textarea", "svg", "math",
            "template");
    /** Kept elements that sit inside a sentence rather than between blocks. */
    private static final Set<String> KEPT_INLINE = Set.of("code", "svg", "math");
    /** Parse errors reported at most; the first is the one the client sees. */
    private static final int MAX_ERRORS = 8;

    private final Document document;
    private final boolean whole;
    private final List<Run> runs = new ArrayList<>();
    private final List<String> sentences = new ArrayList<>();

    private HtmlText(Document document, boolean whole) {
        this.document = document;
        this.whole = whole;
        document.outputSettings().prettyPrint(false).charset("UTF-8").escapeMode(Entities.EscapeMode.base);
        collectInto(document, runs);
        for (Run run : runs) {
            sentences.addAll(run.sentences());
        }
    }

    /**
     * Parses a whole document (one that starts with a doctype or has an {@code <html>} element) or
     * a fragment. HTML the parser had to repair is refused: a repair would move the client's text.
     *
     * @param name the text's name in messages, e.g. "text 2"
     */
    static HtmlText parse(String html, String name) {
        ParseErrorList errors = ParseErrorList.tracking(MAX_ERRORS);
        String head = html.stripLeading().toLowerCase(Locale.ROOT);
        boolean whole = head.startsWith("<!doctype") || head.contains("<html");
        Document document;
        if (whole) {
            Parser parser = Parser.htmlParser().setTrackErrors(MAX_ERRORS);
            document = parser.parseInput(html, "");
            errors = parser.getErrors();
        } else {
            document = Document.createShell("");
            document.body().appendChildren(Parser.parseFragment(html, document.body(), "", errors));
        }
        if (!errors.isEmpty()) {
            ParseError first = errors.get(0);
            throw ApiError.badRequest("the HTML of " + name + " is malformed at " + first.getCursorPos() + ": "
                    + first.getErrorMessage());
        }
        return new HtmlText(document, whole);
    }

    @Override
    public List<String> sentences() {
        return sentences;
    }

    /** The HTML again, each sentence replaced by its translation and the inline tags placed around their words. */
    @Override
    public String translated(List<Hypothesis> hypotheses, Translator translator) {
        Document copy = document.clone();
        List<Run> copied = new ArrayList<>();
        collectInto(copy, copied);
        int from = 0;
        for (int r = 0; r < runs.size(); r++) {
            Run run = copied.get(r);
            run.replace(hypotheses.subList(from, from + run.sentences().size()), translator);
            from += run.sentences().size();
        }
        return whole ? copy.outerHtml() : copy.body().html();
    }

    /** The runs of translatable text under a node, in document order. */
    private static void collectInto(Node root, List<Run> into) {
        List<Node> run = new ArrayList<>();
        for (Node child : root.childNodes()) {
            if (child instanceof TextNode || child instanceof Comment
                    || child instanceof Element e && isInline(e)) {
                run.add(child);
                continue;
            }
            flush(run, into);
            if (child instanceof Element e && !isKept(e)) {
                collectInto(e, into);
            }
        }
        flush(run, into);
    }

    private static void flush(List<Node> nodes, List<Run> into) {
        if (!nodes.isEmpty()) {
            Run run = new Run(new ArrayList<>(nodes));
            if (!run.sentences().isEmpty()) {
                into.add(run);
            }
            nodes.clear();
        }
    }

    /** An inline element with nothing but text, inline elements and kept elements inside. */
    private static boolean isInline(Element e) {
        if (isKept(e)) {
            return KEPT_INLINE.contains(e.tagName()) || INLINE.contains(e.tagName());
        }
        if (!INLINE.contains(e.tagName())) {
            return false;
        }
        for (Element child : e.children()) {
            if (!isInline(child)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isKept(Element e) {
        return KEPT.contains(e.tagName()) || "no".equalsIgnoreCase(e.attr("translate").strip())
                || e.hasClass("notranslate");
    }

    /** A piece of a run's text and the inline elements it lies in, outermost first. */
    private record Piece(int start, int end, List<Element> owners) {
    }

    /** Something kept whole (a kept or empty inline element, a comment) at a place in a run's text. */
    private record Anchor(int at, Node node, List<Element> owners) {
    }

    /**
     * A run: sibling text and inline nodes between two block boundaries. Its text is cut into
     * sentences; after translation its nodes are replaced by the translation with the tags rebuilt.
     */
    private static final class Run {
        private final List<Node> nodes;
        private final StringBuilder text = new StringBuilder();
        private final List<Piece> pieces = new ArrayList<>();
        private final List<Anchor> anchors = new ArrayList<>();
        private final List<Element> elements = new ArrayList<>();
        private final int coreStart;
        private final int coreEnd;
        private final Segments segments;

        Run(List<Node> nodes) {
            this.nodes = nodes;
            for (Node node : nodes) {
                read(node, List.of());
            }
            // Line breaks in HTML source are spaces: they must not end sentences as they do in plain text.
            String flat = text.toString().replace('\n', ' ').replace('\r', ' ');
            // No-break spaces count as space here, so that one at a block's end stays as it was.
            int start = 0;
            int end = flat.length();
            while (start < end && isSpace(flat.charAt(start))) {
                start++;
            }
            while (end > start && isSpace(flat.charAt(end - 1))) {
                end--;
            }
            coreStart = start;
            coreEnd = end;
            segments = start == end ? null : Segments.split(flat.substring(start, end));
        }

        private static boolean isSpace(char c) {
            return Character.isWhitespace(c) || Character.isSpaceChar(c);
        }

        private void read(Node node, List<Element> owners) {
            if (node instanceof TextNode t) {
                int start = text.length();
                text.append(t.getWholeText());
                pieces.add(new Piece(start, text.length(), owners));
            } else if (node instanceof Element e && hasText(e)) {
                elements.add(e);
                List<Element> inner = new ArrayList<>(owners);
                inner.add(e);
                for (Node child : e.childNodes()) {
                    read(child, List.copyOf(inner));
                }
            } else {
                anchors.add(new Anchor(text.length(), node, owners));
                // A space inside what is kept whole still parts the words around it.
                if (node instanceof Element e && !e.wholeText().isEmpty() && e.wholeText().isBlank()) {
                    text.append(' ');
                }
            }
        }

        /** Whether an element has text of its own to translate, outside the kept elements in it. */
        private static boolean hasText(Element e) {
            if (isKept(e)) {
                return false;
            }
            for (Node child : e.childNodes()) {
                if (child instanceof TextNode t && !t.isBlank() || child instanceof Element c && hasText(c)) {
                    return true;
                }
            }
            return false;
        }

        List<String> sentences() {
            return segments == null ? List.of() : segments.sentences();
        }

        /** Replaces the run's nodes by the translation, one hypothesis (or null) per sentence. */
        void replace(List<Hypothesis> hypotheses, Translator translator) {
            Placement placement = new Placement(hypotheses, translator);
            List<Node> out = new ArrayList<>();
            String flat = text.toString();
            out.add(new TextNode(flat.substring(0, coreStart)));
            build(out, null, 0, placement.output.length(), placement);
            out.add(new TextNode(flat.substring(coreEnd)));
            Node first = nodes.get(0);
            for (Node n : out) {
                if (!(n instanceof TextNode t && t.getWholeText().isEmpty())) {
                    first.before(n);
                }
            }
            nodes.forEach(Node::remove);
        }

        /** Appends the output text in [lo, hi) with the children of {@code parent} (null: the run) placed in it. */
        private void build(List<Node> out, Element parent, int lo, int hi, Placement placement) {
            List<Item> items = new ArrayList<>();
            for (Element e : elements) {
                if (parentOf(e) == parent) {
                    int[] span = placement.spanOf(e);
                    items.add(new Item(span[0], span[1], e, null));
                }
            }
            for (Anchor a : anchors) {
                if ((a.owners().isEmpty() ? null : a.owners().get(a.owners().size() - 1)) == parent) {
                    int at = placement.anchorAt(a.at() - coreStart);
                    items.add(new Item(at, at, null, a.node()));
                }
            }
            items.sort(Comparator.comparingInt(Item::start));
            String output = placement.output;
            int cursor = lo;
            for (Item item : items) {
                int start = Math.max(cursor, Math.min(item.start(), hi));
                int end = Math.max(start, Math.min(item.end(), hi));
                addText(out, output.substring(cursor, start));
                if (item.kept() != null) {
                    out.add(item.kept().clone());
                    cursor = start;
                } else {
                    Element copy = item.element().shallowClone();
                    List<Node> inside = new ArrayList<>();
                    build(inside, item.element(), start, end, placement);
                    inside.forEach(copy::appendChild);
                    out.add(copy);
                    cursor = end;
                }
            }
            addText(out, output.substring(cursor, hi));
        }

        private int firstPieceStart(Element e) {
            for (Piece p : pieces) {
                if (p.owners().contains(e)) {
                    return p.start();
                }
            }
            return coreStart;
        }

        private Element parentOf(Element e) {
            for (Piece p : pieces) {
                int i = p.owners().indexOf(e);
                if (i >= 0) {
                    return i == 0 ? null : p.owners().get(i - 1);
                }
            }
            return null;
        }

        private static void addText(List<Node> out, String text) {
            if (!text.isEmpty()) {
                out.add(new TextNode(text));
            }
        }

        /** An element or kept node to place in the output, with its span there. */
        private record Item(int start, int end, Element element, Node kept) {
        }

        /**
         * The run's translation and, per sentence, which source tokens each piece holds and which
         * source token each output token attends to most.
         */
        private final class Placement {
            private final String output;
            private final List<SentenceAlignment> sentences = new ArrayList<>();
            private final Map<Element, int[]> spans = new IdentityHashMap<>();

            Placement(List<Hypothesis> hypotheses, Translator translator) {
                List<String> texts = new ArrayList<>();
                int sourceStart = 0;
                int outputStart = 0;
                for (int s = 0; s < hypotheses.size(); s++) {
                    Hypothesis h = hypotheses.get(s);
                    String sentence = segments.sentences().get(s);
                    String translation = h == null ? "" : translator.detokenize(h);
                    texts.add(translation);
                    sentences.add(new SentenceAlignment(sentence, sourceStart, h, translation, outputStart, translator));
                    sourceStart += sentence.length() + segments.separator(s).length();
                    outputStart += translation.length() + segments.separator(s).length();
                }
                output = segments.join(texts);
            }

            /**
             * Where an element goes in the output, [start, end): in each sentence, the contiguous
             * output tokens aligned to its words with the most attention on them (so one stray
             * alignment does not stretch the tags), joined over sentences and around its children.
             */
            int[] spanOf(Element e) {
                int[] cached = spans.get(e);
                if (cached != null) {
                    return cached;
                }
                int start = Integer.MAX_VALUE;
                int end = -1;
                SentenceAlignment fallback = null;
                for (SentenceAlignment s : sentences) {
                    boolean[] mine = s.sourceTokensOf(e);
                    int[] span = s.alignedSpan(mine);
                    if (span != null) {
                        start = Math.min(start, span[0]);
                        end = Math.max(end, span[1]);
                    } else if (fallback == null && s.any(mine)) {
                        fallback = s;
                    }
                }
                int[] span;
                if (end >= 0) {
                    span = new int[] {start, end};
                } else if (fallback != null) {
                    span = fallback.strongestSpan(fallback.sourceTokensOf(e));
                } else {
                    // No source token of its own (its words merged into a neighbour's): where its text began.
                    int at = anchorAt(firstPieceStart(e) - coreStart);
                    span = new int[] {at, at};
                }
                for (Element child : elements) {
                    if (parentOf(child) == e) {
                        int[] inner = spanOf(child);
                        span = new int[] {Math.min(span[0], inner[0]), Math.max(span[1], inner[1])};
                    }
                }
                spans.put(e, span);
                return span;
            }

            /** Where something kept at a place of the source text goes in the output. */
            int anchorAt(int sourceChar) {
                for (int i = 0; i < sentences.size(); i++) {
                    SentenceAlignment s = sentences.get(i);
                    int end = s.sourceStart + s.sentence.length();
                    if (sourceChar <= end) {
                        return s.outputAfter(Math.max(0, sourceChar - s.sourceStart));
                    }
                    // Between two sentences: the same place in the whitespace between their translations.
                    if (sourceChar < end + segments.separator(i).length()) {
                        return s.outputStart + s.translation.length() + sourceChar - end;
                    }
                }
                return output.length();
            }
        }

        /** One sentence: its source tokens' pieces, its translation's tokens and their alignment. */
        private final class SentenceAlignment {
            private final String sentence;
            private final int sourceStart;
            private final String translation;
            private final int outputStart;
            private final Translator translator;
            /** The end (in tokens) of each piece's part of the sentence. */
            private final int[] pieceTokenEnds;
            /** Per output token: the source token it attends to most, and where it starts and ends in the output. */
            private final int[] aligned;
            private final float[][] attention;
            private final int[] tokenStarts;
            private final int[] tokenEnds;

            SentenceAlignment(String sentence, int sourceStart, Hypothesis h, String translation, int outputStart,
                              Translator translator) {
                this.sentence = sentence;
                this.sourceStart = sourceStart;
                this.translation = translation;
                this.outputStart = outputStart;
                this.translator = translator;
                this.pieceTokenEnds = pieceTokenEnds();
                int total = pieceTokenEnds.length == 0 ? 0 : pieceTokenEnds[pieceTokenEnds.length - 1];
                if (h == null) {
                    aligned = new int[0];
                    attention = new float[0][];
                    tokenStarts = new int[0];
                    tokenEnds = new int[0];
                    return;
                }
                int outputs = h.ids().length;
                aligned = new int[outputs];
                attention = h.attention();
                for (int k = 0; k < outputs; k++) {
                    aligned[k] = argmax(attention[k], Math.min(total, attention[k].length));
                }
                tokenEnds = translator.tokenEnds(h);
                tokenStarts = new int[outputs];
                for (int k = 0; k < outputs; k++) {
                    int start = k == 0 ? 0 : tokenEnds[k - 1];
                    while (start < tokenEnds[k] && Character.isWhitespace(translation.charAt(start))) {
                        start++;
                    }
                    tokenStarts[k] = start;
                }
            }

            /**
             * Each piece's share of the sentence's tokens, counted by tokenizing the piece alone;
             * scaled to the sentence's own count where a tag cut a word and the counts differ.
             */
            private int[] pieceTokenEnds() {
                int[] counts = new int[pieces.size()];
                int sum = 0;
                int from = coreStart + sourceStart;
                int to = from + sentence.length();
                for (int p = 0; p < pieces.size(); p++) {
                    int a = Math.max(from, pieces.get(p).start());
                    int b = Math.min(to, pieces.get(p).end());
                    counts[p] = a < b ? translator.tokenCount(text.substring(a, b)) : 0;
                    sum += counts[p];
                }
                int total = translator.tokenCount(sentence);
                int[] ends = new int[pieces.size()];
                int cumulative = 0;
                for (int p = 0; p < pieces.size(); p++) {
                    cumulative += counts[p];
                    ends[p] = sum == 0 ? 0 : (int) Math.round((double) cumulative * total / sum);
                }
                return ends;
            }

            /** Which source tokens lie in the element. */
            boolean[] sourceTokensOf(Element e) {
                int total = pieceTokenEnds.length == 0 ? 0 : pieceTokenEnds[pieceTokenEnds.length - 1];
                boolean[] mine = new boolean[total];
                for (int p = 0; p < pieces.size(); p++) {
                    if (pieces.get(p).owners().contains(e)) {
                        for (int t = p == 0 ? 0 : pieceTokenEnds[p - 1]; t < pieceTokenEnds[p]; t++) {
                            mine[t] = true;
                        }
                    }
                }
                return mine;
            }

            boolean any(boolean[] tokens) {
                for (boolean t : tokens) {
                    if (t) {
                        return true;
                    }
                }
                return false;
            }

            /**
             * The span, in the run's output, of the contiguous output tokens aligned to these source
             * tokens that hold the most attention on them; null if no output token is aligned to them.
             */
            int[] alignedSpan(boolean[] source) {
                int bestFirst = -1;
                int bestLast = -1;
                double bestMass = -1;
                int k = 0;
                while (k < aligned.length) {
                    if (!isAligned(k, source)) {
                        k++;
                        continue;
                    }
                    int first = k;
                    double mass = 0;
                    while (k < aligned.length && isAligned(k, source)) {
                        mass += mass(k, source);
                        k++;
                    }
                    if (mass > bestMass) {
                        bestMass = mass;
                        bestFirst = first;
                        bestLast = k - 1;
                    }
                }
                return bestFirst < 0 ? null : words(bestFirst, bestLast);
            }

            private boolean isAligned(int k, boolean[] source) {
                return aligned[k] >= 0 && aligned[k] < source.length && source[aligned[k]];
            }

            /** Output token k's attention on these source tokens. */
            private double mass(int k, boolean[] source) {
                double mass = 0;
                for (int j = 0; j < Math.min(source.length, attention[k].length); j++) {
                    mass += source[j] ? attention[k][j] : 0;
                }
                return mass;
            }

            /** The span of the one output token with the most attention on these source tokens. */
            int[] strongestSpan(boolean[] source) {
                int best = -1;
                double bestMass = -1;
                for (int k = 0; k < aligned.length; k++) {
                    double mass = mass(k, source);
                    if (mass > bestMass) {
                        bestMass = mass;
                        best = k;
                    }
                }
                return best < 0 ? new int[] {outputStart, outputStart} : words(best, best);
            }

            /**
             * Where to put something that stood at a character of the source sentence: after the
             * output words aligned to the source token before it (or, if none are, to the nearest
             * earlier one); at the start when nothing came before it.
             */
            int outputAfter(int sourceChar) {
                for (int j = tokensBefore(sourceChar) - 1; j >= 0; j--) {
                    int end = -1;
                    for (int k = 0; k < aligned.length; k++) {
                        if (aligned[k] == j) {
                            end = Math.max(end, words(k, k)[1]);
                        }
                    }
                    if (end >= 0) {
                        return end;
                    }
                }
                return outputStart;
            }

            private int tokensBefore(int sourceChar) {
                int at = coreStart + sourceStart + sourceChar;
                int tokens = 0;
                for (int p = 0; p < pieces.size(); p++) {
                    if (pieces.get(p).end() <= at) {
                        tokens = pieceTokenEnds[p];
                    }
                }
                return tokens;
            }

            /** Output tokens first..last as a character span of the run's output, grown to whole words. */
            private int[] words(int first, int last) {
                int start = tokenStarts[first];
                int end = tokenEnds[last];
                while (start > 0 && isWordChar(start - 1) && isWordChar(start)) {
                    start--;
                }
                while (end < translation.length() && end > 0 && isWordChar(end - 1) && isWordChar(end)) {
                    end++;
                }
                return new int[] {outputStart + start, outputStart + Math.max(start, end)};
            }

            private boolean isWordChar(int i) {
                return i < translation.length() && Character.isLetterOrDigit(translation.charAt(i));
            }
        }

        private static int argmax(float[] row, int columns) {
            int best = -1;
            for (int j = 0; j < columns; j++) {
                if (best < 0 || row[j] > row[best]) {
                    best = j;
                }
            }
            return best;
        }
    }
}
