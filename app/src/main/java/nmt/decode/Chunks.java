package nmt.decode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;

/**
 * Items taken from a stream a chunk at a time ({@link Translator#chunkSize()} lines: enough for
 * length-sorted batches, bounded in memory), for callers that translate a stream of unknown length.
 *
 * @param <T> a line, or a row that holds one
 */
public final class Chunks<T> implements Iterator<List<T>> {
    private final Iterator<T> items;
    private final int size;
    private final BooleanSupplier cutHere;

    /**
     * @param cutHere asked after each item: true ends the chunk early (e.g. when no more input is
     *                waiting, so that a line typed at a terminal is answered at once)
     */
    public Chunks(Iterator<T> items, int size, BooleanSupplier cutHere) {
        this.items = items;
        this.size = size;
        this.cutHere = cutHere;
    }

    public Chunks(Iterator<T> items, int size) {
        this(items, size, () -> false);
    }

    @Override
    public boolean hasNext() {
        return items.hasNext();
    }

    @Override
    public List<T> next() {
        if (!items.hasNext()) {
            throw new NoSuchElementException();
        }
        List<T> chunk = new ArrayList<>(Math.min(size, 1024));
        while (chunk.size() < size && items.hasNext()) {
            chunk.add(items.next());
            if (cutHere.getAsBoolean()) {
                break;
            }
        }
        return chunk;
    }
}
