package nmt.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The direct memory of a {@link JavaNDArray} and its views, given back when the last of them
 * closes rather than when the garbage collector gets round to it (a search makes megabytes of
 * arrays every step). Large buffers are recycled: a fresh one costs a page fault per 4 KiB and
 * the JDK's zeroing (measured: 4 GB in 4,780 buffers took 5.7 s of a 9 s greedy run over 500
 * Multi30k sentences, against 1.4 s in ONNX Runtime), where a recycled one costs nothing.
 */
final class DirectStorage {
    /** Buffers from this size up are recycled; malloc reuses smaller ones without faults. */
    private static final int RECYCLED_FROM = 256 << 10;
    /** The most bytes held for reuse; what is given back beyond them is freed. */
    private static final long RECYCLED_BYTES = 128L << 20;
    private static final Map<Integer, ConcurrentLinkedDeque<ByteBuffer>> RECYCLED = new ConcurrentHashMap<>();
    private static final AtomicLong recycledBytes = new AtomicLong();
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);
    /** Unsafe.invokeCleaner: the one way to free a direct buffer before it is garbage collected. */
    private static final MethodHandle FREE = freeHandle();

    /** What was allocated (recycled or freed as a whole), and the array's bytes at its start. */
    private final ByteBuffer base;
    private final ByteBuffer bytes;
    private int references = 1;

    private DirectStorage(ByteBuffer base, int size) {
        this.base = base;
        this.bytes = base.slice(0, size).order(ByteOrder.nativeOrder());
    }

    /** Memory filled with zeros, or whose contents the caller overwrites whole. */
    static DirectStorage allocate(long size, boolean zeroed) {
        int n = Math.toIntExact(size);
        if (n < RECYCLED_FROM) {
            return new DirectStorage(newBuffer(n), n);
        }
        int capacity = sizeClass(n);
        ByteBuffer reused = take(capacity);
        if (reused == null) {
            return new DirectStorage(newBuffer(capacity), n);
        }
        for (int at = 0; zeroed && at < n; at += ZEROS.capacity()) {
            reused.put(at, ZEROS, 0, Math.min(ZEROS.capacity(), n - at));
        }
        return new DirectStorage(reused, n);
    }

    /** The array's own bytes (a fresh view: its position and limit are the caller's). */
    ByteBuffer bytes() {
        return bytes.duplicate().order(ByteOrder.nativeOrder());
    }

    synchronized DirectStorage share() {
        if (references <= 0) {
            throw new IllegalStateException("shared after it was given back");
        }
        references++;
        return this;
    }

    synchronized void release() {
        if (references <= 0) {
            throw new IllegalStateException("given back twice");
        }
        if (--references > 0) {
            return;
        }
        if (base.capacity() >= RECYCLED_FROM && recycledBytes.addAndGet(base.capacity()) <= RECYCLED_BYTES) {
            RECYCLED.computeIfAbsent(base.capacity(), c -> new ConcurrentLinkedDeque<>()).push(base);
        } else {
            if (base.capacity() >= RECYCLED_FROM) {
                recycledBytes.addAndGet(-base.capacity());
            }
            free(base);
        }
    }

    /**
     * Sizes in steps of a quarter of their highest power of two, so that arrays a little smaller
     * (a beam search's rows shrink as sentences finish) reuse the same buffers, wasting under 25 %.
     */
    static int sizeClass(int size) {
        long step = Math.max(1, Integer.highestOneBit(size) / 4);
        return Math.toIntExact((size + step - 1) / step * step);
    }

    private static ByteBuffer take(int capacity) {
        ConcurrentLinkedDeque<ByteBuffer> free = RECYCLED.get(capacity);
        ByteBuffer buffer = free == null ? null : free.poll();
        if (buffer != null) {
            recycledBytes.addAndGet(-capacity);
        }
        return buffer;
    }

    /** A new buffer, first freeing recycled ones of other sizes if they would hold too much beside it. */
    private static ByteBuffer newBuffer(int capacity) {
        Iterator<ConcurrentLinkedDeque<ByteBuffer>> sizes = RECYCLED.values().iterator();
        while (recycledBytes.get() + capacity > RECYCLED_BYTES && sizes.hasNext()) {
            freeAll(sizes.next());
        }
        try {
            return ByteBuffer.allocateDirect(capacity);
        } catch (OutOfMemoryError e) {
            // Past the JVM's direct-memory limit (-XX:MaxDirectMemorySize, else -Xmx): what is held for
            // reuse goes first.
            RECYCLED.values().forEach(DirectStorage::freeAll);
            return ByteBuffer.allocateDirect(capacity);
        }
    }

    private static void freeAll(ConcurrentLinkedDeque<ByteBuffer> recycled) {
        for (ByteBuffer stale = recycled.poll(); stale != null; stale = recycled.poll()) {
            recycledBytes.addAndGet(-stale.capacity());
            free(stale);
        }
    }

    private static void free(ByteBuffer buffer) {
        if (FREE == null) {
            return;
        }
        try {
            FREE.invoke(buffer);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot free a direct buffer", e);
        }
    }

    /** Null where the JDK does not offer it: the garbage collector then frees the memory. */
    private static MethodHandle freeHandle() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner",
                    MethodType.methodType(void.class, ByteBuffer.class)).bindTo(field.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
