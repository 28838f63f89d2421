package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentsTest {
    @Test
    void linesAndSentencesAreCutAndPutBackWithTheirSeparators() {
        Segments s = Segments.split("Hello there.  How are you?\r\nFine! \"Really.\" Yes…\n\nit is 3.5 e.g. this");
        assertEquals(List.of("Hello there.", "How are you?", "Fine!", "\"Really.\"", "Yes…", "", "it is 3.5 e.g. this"),
                s.sentences());
        assertEquals("A.  B\r\nC \"D\" E\n\nF", s.join(List.of("A.", "B", "C", "\"D\"", "E", "", "F")));
    }

    @Test
    void anEmptyTextIsOneEmptySentence() {
        Segments s = Segments.split("");
        assertEquals(List.of(""), s.sentences());
        assertEquals("", s.join(List.of("")));
    }
}
