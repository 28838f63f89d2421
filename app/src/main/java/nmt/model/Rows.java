package nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Picks batch rows, x[rows] along the first axis, as beam search does every step. DJL has no
 * index_select, and its advanced indexing copies element by element (the bulk of a long beam
 * search's time); an embedding lookup is PyTorch's index_select, one copy per row.
 */
public final class Rows {
    private Rows() {
    }

    /** @param rows [R'] int32 or int64 indices into x's first axis; the result has R' rows */
    public static NDArray select(NDArray x, NDArray rows) {
        Shape shape = x.getShape();
        NDArray table = x.reshape(shape.get(0), shape.size() / Math.max(1, shape.get(0)));
        NDArray picked = rows.getNDArrayInternal().embedding(rows, table, SparseFormat.DENSE).singletonOrThrow();
        return picked.reshape(new Shape(rows.getShape().get(0)).addAll(shape.slice(1)));
    }
}
