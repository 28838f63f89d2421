package nmt.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import nmt.InputError;

/**
 * Reads UTF-8 lines from a stream one at a time: split on LF only (a CR before it is dropped), a
 * leading byte-order mark removed, no extra empty line for a final newline. Invalid UTF-8 is an
 * error naming the stream and line. It buffers the bytes itself and scans them for LF, because a
 * corpus of tens of millions of lines makes a call per byte the bottleneck.
 */
public final class LineReader implements Closeable {
    private final InputStream in;
    private final String name;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private boolean ended;
    private byte[] line = new byte[256];
    private long lineNumber;

    /** @param name the file name or "standard input", for messages */
    public LineReader(InputStream in, String name) {
        this.in = in;
        this.name = name;
    }

    /** The next line, or null at the end of the stream. */
    public String next() throws IOException {
        int length = 0;
        boolean newline = false;
        while (!newline) {
            if (position == limit && !fill()) {
                break;
            }
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            int n = end - position;
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
            System.arraycopy(buffer, position, line, length, n);
            length += n;
            newline = end < limit;
            position = newline ? end + 1 : end;
        }
        if (!newline && length == 0) {
            return null;
        }
        int start = lineNumber == 0 && length >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB
                && (line[2] & 0xff) == 0xBF ? 3 : 0;
        int end = length > start && line[length - 1] == '\r' ? length - 1 : length;
        lineNumber++;
        // The String constructor is the fast path; it replaces invalid bytes with U+FFFD, so only a
        // line that shows one is decoded again strictly, to tell a real U+FFFD from broken input.
        String text = new String(line, start, end - start, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return decoder.decode(ByteBuffer.wrap(line, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            throw new InputError(name + ":" + lineNumber + ": invalid UTF-8");
        }
    }

    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        position = 0;
        limit = Math.max(n, 0);
        ended = n < 0;
        return !ended;
    }

    /** Lines read so far; the number of the line {@link #next} returned last. */
    public long lineNumber() {
        return lineNumber;
    }

    /** The remaining lines; a read error surfaces as an {@link UncheckedIOException}. */
    public Iterator<String> lines() {
        return new Iterator<>() {
            private String next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = LineReader.this.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                return line;
            }
        };
    }

    /** Whether another line can be read without waiting for more input. */
    public boolean ready() throws IOException {
        return position < limit || in.available() > 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
