package nmt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import nmt.InputError;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    @Test
    void aLineIsAvailableBeforeTheStreamEnds() throws IOException {
        PipedOutputStream writer = new PipedOutputStream();
        try (LineReader reader = new LineReader(new PipedInputStream(writer), "pipe")) {
            writer.write("first\nsecond\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("first", reader.next());
            assertTrue(reader.ready(), "the second line is already buffered");
            assertEquals("second", reader.next());
            assertFalse(reader.ready(), "nothing more has been written yet");
            writer.write("third".getBytes(StandardCharsets.UTF_8));
            writer.close();
            assertEquals("third", reader.next());
            assertNull(reader.next());
        }
    }

    @Test
    void byteOrderMarkCrLfAndFinalNewline() throws IOException {
        byte[] bytes = "\uFEFFa\r\n\r\nb\n".getBytes(StandardCharsets.UTF_8);
        try (LineReader reader = new LineReader(new ByteArrayInputStream(bytes), "x")) {
            assertEquals("a", reader.next());
            assertEquals("", reader.next());
            assertEquals("b", reader.next());
            assertNull(reader.next());
        }
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        byte[] bytes = {'o', 'k', '\n', (byte) 0xC3, '(', '\n'};
        try (LineReader reader = new LineReader(new ByteArrayInputStream(bytes), "standard input")) {
            assertEquals("ok", reader.next());
            InputError e = assertThrows(InputError.class, reader::next);
            assertEquals("standard input:2: invalid UTF-8", e.getMessage());
        }
    }
}
