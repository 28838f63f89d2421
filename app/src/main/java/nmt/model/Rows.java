package nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.ArrayList;
import java.util.List;
import nmt.engine.JavaNDArray;

/**
 * Picks batch rows, x[rows] along the first axis, as beam search does every step. DJL has no
 * index_select, and its advanced indexing copies element by element (the bulk of a long beam
 * search's time); an embedding lookup is PyTorch's index_select, one copy per row. The Java
 * engine's arrays copy their rows themselves.
 */
public final class Rows {
    /** Rows gathered at a time when reordering in place: small enough for malloc to reuse, not map anew. */
    private static final long CHUNK_BYTES = 4L << 20;

    private Rows() {
    }

    /** @param rows [R'] int32 or int64 indices into x's first axis; the result has R' rows */
    public static NDArray select(NDArray x, NDArray rows) {
        if (x instanceof JavaNDArray array) {
            return array.rows(rows.toType(DataType.INT32, false).toIntArray());
        }
        Shape shape = x.getShape();
        NDArray table = x.reshape(shape.get(0), shape.size() / Math.max(1, shape.get(0)));
        NDArray picked = rows.getNDArrayInternal().embedding(rows, table, SparseFormat.DENSE).singletonOrThrow();
        return picked.reshape(new Shape(rows.getShape().get(0)).addAll(shape.slice(1)));
    }

    /**
     * Keeps (and may repeat) the rows named by {@code rows}, as {@link #select}, but rewrites x in
     * place, a few rows at a time, where the selection allows it: beam search reorders rows within
     * each sentence's block, and a fresh copy of a large buffer costs a page fault per 4 KiB on
     * every step. Either way x must not be used again.
     */
    public static NDArray reorder(NDArray x, NDArray rows) {
        long rowBytes = x.size() / Math.max(1, x.getShape().get(0)) * x.getDataType().getNumOfBytes();
        return reorder(x, rows, (int) Math.max(1, CHUNK_BYTES / Math.max(1, rowBytes)));
    }

    /** The same, gathering at most {@code chunkRows} rows at a time when it works in place. */
    public static NDArray reorder(NDArray x, NDArray rows, int chunkRows) {
        int[] picked = rows.toType(DataType.INT32, false).toIntArray();
        List<int[]> chunks = inPlaceChunks(picked, x.getShape().get(0), chunkRows);
        if (chunks == null) {
            return select(x, rows);
        }
        for (int[] chunk : chunks) {
            x.set(new NDIndex("{}:{}", chunk[0], chunk[1]), select(x, rows.get("{}:{}", chunk[0], chunk[1])));
        }
        return x;
    }

    /**
     * Splits the rows into chunks [a, b) of at most {@code maxRows} that can be gathered and written
     * back in order: every chunk reads only rows at or after its start, which no earlier chunk has
     * overwritten. Null when the rows are not a same-size selection that allows this.
     */
    public static List<int[]> inPlaceChunks(int[] picked, long rowCount, int maxRows) {
        int n = picked.length;
        if (n != rowCount) {
            return null;
        }
        int[] laterMin = new int[n + 1];
        laterMin[n] = Integer.MAX_VALUE;
        for (int i = n - 1; i >= 0; i--) {
            laterMin[i] = Math.min(picked[i], laterMin[i + 1]);
        }
        List<int[]> chunks = new ArrayList<>();
        for (int start = 0; start < n; ) {
            if (laterMin[start] < start) {
                return null;
            }
            int end = Math.min(n, start + maxRows);
            while (end > start + 1 && laterMin[end] < end) {
                end--;
            }
            chunks.add(new int[] {start, end});
            start = end;
        }
        return chunks;
    }
}
