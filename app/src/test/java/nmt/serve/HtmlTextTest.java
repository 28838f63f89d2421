package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What an HTML text is cut into for the model; the translated HTML is tested against a model in the server's tests. */
class HtmlTextTest {
    @Test
    void inlineTagsNeverCutASentence() {
        HtmlText html = HtmlText.parse("<p>I am <b>very <i>tired</i></b>. She <a href=\"x\">is</a> here.</p>", "text 1");
        assertEquals(List.of("I am very tired.", "She is here."), html.sentences());
    }

    @Test
    void blocksAndLineBreakTagsEndSentencesButSourceLineBreaksDoNot() {
        HtmlText html = HtmlText.parse("<div>One<p>Two\nwords</p>Three<br>Four</div><ul><li>Five</li></ul>", "text 1");
        assertEquals(List.of("One", "Two words", "Three", "Four", "Five"), html.sentences());
    }

    @Test
    void keptElementsAreNotTranslated() {
        HtmlText html = HtmlText.parse("<p>Run <code>ls</code> now.</p><script>var x = \"Hello\";</script>"
                + "<style>p { color: red }</style><pre>Keep this.</pre><div translate=\"no\">Not this.</div>"
                + "<span class=\"notranslate\">Nor this</span><p>Yes.</p>", "text 1");
        assertEquals(List.of("Run  now.", "Yes."), html.sentences());
    }

    @Test
    void elementsWithoutTextOfTheirOwnAreKeptWholeAndSpacesInThemStillPartWords() {
        assertEquals(List.of("See  for details."),
                HtmlText.parse("<p>See <a href=\"/doc\"><code>String.format</code></a> for details.</p>", "t").sentences());
        assertEquals(List.of("foo bar"), HtmlText.parse("<p>foo<span> </span>bar</p>", "t").sentences());
        assertEquals(List.of("Click  Download now."), HtmlText.parse(
                "<p>Click <a href=\"#\"><svg><path d=\"M0 0\"></path></svg> Download</a> now.</p>", "t").sentences());
    }

    @Test
    void aWholeDocumentHasItsTitleTranslated() {
        HtmlText html = HtmlText.parse("<!DOCTYPE html><html><head><title>The cat</title>"
                + "<meta charset=\"utf-8\"></head><body><h1>Hello.</h1><p>Bye.</p></body></html>", "text 1");
        assertEquals(List.of("The cat", "Hello.", "Bye."), html.sentences());
    }

    @Test
    void malformedHtmlIsRefusedWithWhereItBreaks() {
        ApiError e = assertThrows(ApiError.class, () -> HtmlText.parse("<p>I am <b>tired</p>", "text 2"));
        assertEquals(400, e.status());
        assertEquals("the HTML of text 2 is malformed at 1:21: Unexpected EndTag token [</p>] when in state [InBody]",
                e.getMessage());
        assertTrue(assertThrows(ApiError.class, () -> HtmlText.parse("a < b", "text 1")).getMessage()
                .startsWith("the HTML of text 1 is malformed at 1:4"));
    }
}
