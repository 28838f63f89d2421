package nmt.serve;

import java.util.List;
import nmt.decode.Hypothesis;
import nmt.decode.Translator;

/** A text of a request as the model sees it: sentences, and the text again from their translations. */
interface Translatable {
    List<String> sentences();

    /** The text with each sentence replaced by its hypothesis (null: a sentence without tokens, left empty). */
    String translated(List<Hypothesis> hypotheses, Translator translator);
}
