package nmt.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import nmt.InputError;

/**
 * Reads UTF-8 lines from a stream one at a time: split on LF only (a CR before it is dropped), a
 * leading byte-order mark removed, no extra empty line for a final newline. Invalid UTF-8 is an
 * error naming the stream and line.
 */
public final class LineReader implements Closeable {
    private final InputStream in;
    private final String name;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int lineNumber;

    /** @param name the file name or "standard input", for messages */
    public LineReader(InputStream in, String name) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.name = name;
    }

    /** The next line, or null at the end of the stream. */
    public String next() throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        byte[] bytes = line.toByteArray();
        int start = lineNumber == 0 && bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        int end = bytes.length > start && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        lineNumber++;
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            throw new InputError(name + ":" + lineNumber + ": invalid UTF-8");
        }
    }

    /** Whether another line can be read without waiting for more input. */
    public boolean ready() throws IOException {
        return in.available() > 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
