package nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Host-side id matrices as NDArrays in a (per-batch) manager. */
public final class Inputs {
    private Inputs() {
    }

    public static NDArray ids(NDManager manager, int[] rowMajor, int rows, int columns) {
        return manager.create(rowMajor, new Shape(rows, columns));
    }

    public static NDArray lengths(NDManager manager, int[] lengths) {
        return manager.create(lengths);
    }
}
