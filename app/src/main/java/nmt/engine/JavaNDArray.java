package nmt.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrayAdapter;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * An array of {@link JavaEngine}: float32, int32 or int64 values in direct memory
 * ({@link DirectStorage}), which ONNX Runtime reads and writes without a copy. It offers what a
 * search does between network steps: type conversion, reshaping (views sharing the memory),
 * broadcast addition, division by a number, arg-max, max and top-k along the last axis, and row
 * selection ({@link #rows}). Any other operation throws UnsupportedOperationException.
 */
public final class JavaNDArray extends NDArrayAdapter {
    private DirectStorage storage;

    private JavaNDArray(NDManager manager, DirectStorage storage, Shape shape, DataType dataType) {
        super(manager, null, shape, dataType, NDManager.nextUid());
        this.storage = storage;
        manager.attachInternal(uid, this);
    }

    /** A new array of {@code manager}: zeros, or contents the caller overwrites whole. */
    static JavaNDArray allocate(NDManager manager, Shape shape, DataType dataType, boolean zeroed) {
        long bytes = shape.size() * checked(dataType).getNumOfBytes();
        return new JavaNDArray(manager, DirectStorage.allocate(bytes, zeroed), shape, dataType);
    }

    private static DataType checked(DataType type) {
        if (type != DataType.FLOAT32 && type != DataType.INT32 && type != DataType.INT64) {
            throw new UnsupportedOperationException("the Java engine holds float32, int32 and int64 arrays, not " + type);
        }
        return type;
    }

    /** The array's own memory (writes reach it) when {@code tryDirect}; a read-only view of it otherwise. */
    @Override
    public ByteBuffer toByteBuffer(boolean tryDirect) {
        ByteBuffer view = open().bytes();
        return tryDirect ? view : view.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    private FloatBuffer floats() {
        if (dataType != DataType.FLOAT32) {
            throw new UnsupportedOperationException("the Java engine computes on float32 arrays, not " + dataType);
        }
        return toByteBuffer(true).asFloatBuffer();
    }

    /** The memory, which a closed array no longer has: using it would read what another array now holds. */
    private DirectStorage open() {
        if (isClosed) {
            throw new IllegalStateException("the array " + uid + " is closed");
        }
        return storage;
    }

    private JavaNDArray view(Shape viewShape) {
        return new JavaNDArray(manager, open().share(), viewShape, dataType);
    }

    private JavaNDArray fresh(Shape freshShape, DataType type) {
        return allocate(manager, freshShape, type, false);
    }

    @Override
    public NDArray toDevice(Device device, boolean copy) {
        if (!device.equals(getDevice())) {
            throw new UnsupportedOperationException("the Java engine's arrays stay on the CPU");
        }
        return copy ? duplicate() : this;
    }

    @Override
    public NDArray toType(DataType type, boolean copy) {
        if (type == dataType) {
            return copy ? duplicate() : this;
        }
        JavaNDArray out = fresh(shape, type);
        ByteBuffer from = toByteBuffer(true);
        ByteBuffer to = out.toByteBuffer(true);
        int n = Math.toIntExact(size());
        for (int i = 0; i < n; i++) {
            double value = switch (dataType) {
                case FLOAT32 -> from.getFloat(i * Float.BYTES);
                case INT32 -> from.getInt(i * Integer.BYTES);
                default -> from.getLong(i * Long.BYTES);
            };
            switch (type) {
                case FLOAT32 -> to.putFloat(i * Float.BYTES, (float) value);
                case INT32 -> to.putInt(i * Integer.BYTES, (int) value);
                default -> to.putLong(i * Long.BYTES, (long) value);
            }
        }
        return out;
    }

    @Override
    public NDArray duplicate() {
        JavaNDArray copy = fresh(shape, dataType);
        copy.toByteBuffer(true).put(toByteBuffer(false));
        return copy;
    }

    @Override
    public NDArray reshape(Shape newShape) {
        long[] dims = newShape.getShape();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1 && unknown < 0) {
                unknown = i;
            } else {
                known *= dims[i];
            }
        }
        long[] resolved = dims.clone();
        if (unknown >= 0 && known > 0) {
            resolved[unknown] = size() / known;
        }
        Shape result = new Shape(resolved);
        if (result.size() != size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + newShape);
        }
        return view(result);
    }

    @Override
    public NDArray expandDims(int axis) {
        int at = axis < 0 ? shape.dimension() + 1 + axis : axis;
        return view(shape.slice(0, at).add(1).addAll(shape.slice(at)));
    }

    @Override
    public NDArray add(NDArray other) {
        Shape result = broadcast(shape, other.getShape());
        return add(fresh(result, DataType.FLOAT32), other);
    }

    /** In place; {@code other} must broadcast to this array's shape. */
    @Override
    public NDArray addi(NDArray other) {
        if (!broadcast(shape, other.getShape()).equals(shape)) {
            throw new IllegalArgumentException("cannot add " + other.getShape() + " into " + shape + " in place");
        }
        return add(this, other);
    }

    /**
     * out = this + other, broadcast as NumPy does; out has the broadcast shape and may be this. The
     * last axis runs innermost with each operand's stride there (0 where it is broadcast).
     */
    private JavaNDArray add(JavaNDArray out, NDArray other) {
        FloatBuffer a = floats();
        FloatBuffer b = ((JavaNDArray) manager.from(other)).floats();
        FloatBuffer to = out.floats();
        long[] dims = out.shape.getShape();
        int rank = dims.length;
        long[] strideA = strides(shape, rank);
        long[] strideB = strides(other.getShape(), rank);
        int inner = rank == 0 ? 1 : (int) dims[rank - 1];
        int stepA = rank == 0 ? 0 : (int) strideA[rank - 1];
        int stepB = rank == 0 ? 0 : (int) strideB[rank - 1];
        long[] counter = new long[Math.max(0, rank - 1)];
        int offsetA = 0;
        int offsetB = 0;
        int outer = inner == 0 ? 0 : (int) (out.size() / inner);
        // A row at a time through heap arrays: bulk copies and a loop the compiler vectorizes, where
        // an element-wise get and put on direct memory cost several times as much.
        float[] row = new float[inner];
        float[] added = stepB == 0 ? null : new float[inner];
        for (int o = 0; o < outer; o++) {
            if (stepA == 0) {
                Arrays.fill(row, a.get(offsetA));
            } else {
                a.get(offsetA, row, 0, inner);
            }
            if (added == null) {
                float value = b.get(offsetB);
                for (int i = 0; i < inner; i++) {
                    row[i] += value;
                }
            } else {
                b.get(offsetB, added, 0, inner);
                for (int i = 0; i < inner; i++) {
                    row[i] += added[i];
                }
            }
            to.put(o * inner, row, 0, inner);
            for (int d = rank - 2; d >= 0; d--) {
                offsetA += (int) strideA[d];
                offsetB += (int) strideB[d];
                if (++counter[d] < dims[d]) {
                    break;
                }
                offsetA -= (int) (strideA[d] * dims[d]);
                offsetB -= (int) (strideB[d] * dims[d]);
                counter[d] = 0;
            }
        }
        return out;
    }

    /** The shape two operands broadcast to (NumPy's rules). */
    private static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.dimension(), b.dimension());
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = dimensionFromEnd(a, rank - 1 - i);
            long y = dimensionFromEnd(b, rank - 1 - i);
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            }
            dims[i] = x == 1 ? y : x;
        }
        return new Shape(dims);
    }

    private static long dimensionFromEnd(Shape shape, int fromEnd) {
        int i = shape.dimension() - 1 - fromEnd;
        return i >= 0 ? shape.get(i) : 1;
    }

    /** Element strides of {@code shape} seen with {@code rank} axes, 0 along axes it is broadcast on. */
    private static long[] strides(Shape shape, int rank) {
        long[] strides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            long dim = dimensionFromEnd(shape, rank - 1 - i);
            strides[i] = dim == 1 ? 0 : stride;
            stride *= dim;
        }
        return strides;
    }

    @Override
    public NDArray div(Number n) {
        return duplicate().divi(n);
    }

    @Override
    public NDArray divi(Number n) {
        FloatBuffer values = floats();
        float[] all = new float[values.capacity()];
        values.get(0, all);
        float divisor = n.floatValue();
        for (int i = 0; i < all.length; i++) {
            all[i] /= divisor;
        }
        values.put(0, all);
        return this;
    }

    /** Row r of the last axis, copied into {@code row}. */
    private static float[] row(FloatBuffer values, int r, float[] row) {
        values.get(r * row.length, row, 0, row.length);
        return row;
    }

    /** Rows along the last axis: its length, and how many there are. */
    private int lastAxis(int axis) {
        int rank = shape.dimension();
        if (rank == 0 || (axis != -1 && axis != rank - 1)) {
            throw new UnsupportedOperationException("the Java engine reduces along the last axis only, not " + axis
                    + " of " + shape);
        }
        return (int) shape.get(rank - 1);
    }

    /** The index of each row's largest value (the first of equal ones), int64. */
    @Override
    public NDArray argMax(int axis) {
        int width = lastAxis(axis);
        FloatBuffer values = floats();
        JavaNDArray out = fresh(shape.slice(0, shape.dimension() - 1), DataType.INT64);
        LongBuffer to = out.toByteBuffer(true).asLongBuffer();
        float[] row = new float[width];
        for (int r = 0; r < to.capacity(); r++) {
            row(values, r, row);
            int best = 0;
            for (int i = 1; i < width; i++) {
                // NaN counts as the largest value, as in PyTorch.
                if (row[i] > row[best] || Float.isNaN(row[i]) && !Float.isNaN(row[best])) {
                    best = i;
                }
            }
            to.put(r, best);
        }
        return out;
    }

    @Override
    public NDArray max(int[] axes, boolean keepDims) {
        int width = lastAxis(axes.length == 1 ? axes[0] : Integer.MIN_VALUE);
        FloatBuffer values = floats();
        Shape rows = shape.slice(0, shape.dimension() - 1);
        JavaNDArray out = fresh(keepDims ? rows.add(1) : rows, DataType.FLOAT32);
        FloatBuffer to = out.floats();
        float[] row = new float[width];
        for (int r = 0; r < to.capacity(); r++) {
            row(values, r, row);
            float max = Float.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            to.put(r, max);
        }
        return out;
    }

    /**
     * The k largest values of each row along the last axis, largest first (equal values in index
     * order), and their indices (int64).
     */
    @Override
    public NDList topK(int k, int axis, boolean largest, boolean sorted) {
        int width = lastAxis(axis);
        if (!largest || !sorted || k > width) {
            throw new UnsupportedOperationException("the Java engine gives the k <= " + width
                    + " largest values, sorted");
        }
        FloatBuffer values = floats();
        Shape outShape = shape.slice(0, shape.dimension() - 1).add(k);
        JavaNDArray best = fresh(outShape, DataType.FLOAT32);
        JavaNDArray at = fresh(outShape, DataType.INT64);
        FloatBuffer bestValues = best.floats();
        LongBuffer bestIndices = at.toByteBuffer(true).asLongBuffer();
        float[] kept = new float[k];
        long[] keptAt = new long[k];
        int rows = width == 0 || k == 0 ? 0 : (int) (size() / width);
        float[] row = new float[width];
        for (int r = 0; r < rows; r++) {
            row(values, r, row);
            for (int i = 0; i < k; i++) {
                insert(kept, keptAt, i, row[i], i);
            }
            // The scan's one comparison per value: only values above the k-th best go further.
            float threshold = kept[k - 1];
            for (int i = k; i < width; i++) {
                if (row[i] > threshold) {
                    insert(kept, keptAt, k - 1, row[i], i);
                    threshold = kept[k - 1];
                }
            }
            bestValues.put(r * k, kept, 0, k);
            bestIndices.put(r * k, keptAt, 0, k);
        }
        return new NDList(best, at);
    }

    /**
     * Puts {@code value} into the sorted {@code kept}, at or before slot {@code last} (whose value it
     * replaces), after every value at least as large: equal values stay in index order.
     */
    private static void insert(float[] kept, long[] keptAt, int last, float value, int index) {
        int j = last;
        while (j > 0 && kept[j - 1] < value) {
            kept[j] = kept[j - 1];
            keptAt[j] = keptAt[j - 1];
            j--;
        }
        kept[j] = value;
        keptAt[j] = index;
    }

    /** x[rows] along the first axis, as {@code nmt.model.Rows#select} picks them: one copy per row. */
    public NDArray rows(int[] picked) {
        long first = shape.dimension() == 0 ? 1 : shape.get(0);
        int rowBytes = Math.toIntExact(size() / Math.max(1, first) * dataType.getNumOfBytes());
        JavaNDArray out = fresh(new Shape(picked.length).addAll(shape.slice(1)), dataType);
        ByteBuffer from = toByteBuffer(true);
        ByteBuffer to = out.toByteBuffer(true);
        for (int r = 0; r < picked.length; r++) {
            if (picked[r] < 0 || picked[r] >= first) {
                out.close();
                throw new IndexOutOfBoundsException("row " + picked[r] + " of " + shape);
            }
            to.put(r * rowBytes, from, picked[r] * rowBytes, rowBytes);
        }
        return out;
    }

    @Override
    public void intern(NDArray replaced) {
        JavaNDArray other = (JavaNDArray) replaced;
        DirectStorage previous = open();
        storage = other.open().share();
        shape = other.shape;
        dataType = other.dataType;
        previous.release();
        replaced.close();
    }

    /** As DJL's arrays attach, but never naming an alternative manager: there is no engine to fall back on. */
    @Override
    public void attach(NDManager target) {
        open();
        detach();
        manager = target;
        target.attachInternal(getUid(), this);
    }

    @Override
    public void detach() {
        manager.detachInternal(getUid());
        manager = JavaNDManager.system();
    }

    @Override
    public synchronized void close() {
        if (!isClosed) {
            super.close();
            storage.release();
            storage = null;
        }
    }
}
