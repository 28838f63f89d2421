package nmt.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/** The managers of {@link JavaEngine}'s arrays; closing one frees its arrays' memory at once, as PyTorch's do. */
public class JavaNDManager extends BaseNDManager {
    private static final JavaNDManager SYSTEM = new SystemManager();

    private JavaNDManager(NDManager parent, Device device) {
        super(parent, device);
    }

    static JavaNDManager system() {
        return SYSTEM;
    }

    @Override
    public ByteBuffer allocateDirect(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    @Override
    public NDArray from(NDArray array) {
        if (array == null || array instanceof JavaNDArray) {
            return array;
        }
        return create(array.toByteBuffer(), array.getShape(), array.getDataType());
    }

    @Override
    public NDArray create(Buffer data, Shape shape, DataType dataType) {
        int size = Math.toIntExact(shape.size());
        BaseNDManager.validateBuffer(data, dataType, size);
        JavaNDArray array = JavaNDArray.allocate(this, shape, dataType, false);
        ByteBuffer to = array.toByteBuffer(true);
        if (data instanceof ByteBuffer bytes) {
            ByteBuffer from = bytes.duplicate();
            to.put(from.limit(from.position() + to.remaining()));
        } else if (data instanceof FloatBuffer floats) {
            to.asFloatBuffer().put(floats.duplicate());
        } else if (data instanceof IntBuffer ints) {
            to.asIntBuffer().put(ints.duplicate());
        } else if (data instanceof LongBuffer longs) {
            to.asLongBuffer().put(longs.duplicate());
        } else if (data instanceof DoubleBuffer doubles) {
            to.asDoubleBuffer().put(doubles.duplicate());
        } else {
            array.close();
            throw new UnsupportedOperationException("the Java engine takes no " + data.getClass().getSimpleName());
        }
        return array;
    }

    /** Contents undefined, as PyTorch's empty: for outputs written whole (ONNX Runtime's). */
    @Override
    public NDArray create(Shape shape, DataType dataType) {
        return JavaNDArray.allocate(this, shape, dataType, false);
    }

    @Override
    public NDArray zeros(Shape shape, DataType dataType) {
        return JavaNDArray.allocate(this, shape, dataType, true);
    }

    @Override
    public NDManager newSubManager(Device device) {
        JavaNDManager manager = new JavaNDManager(this, device);
        attachUncappedInternal(manager.uid, manager);
        return manager;
    }

    @Override
    public final Engine getEngine() {
        return JavaEngine.INSTANCE;
    }

    /** The root: it keeps no arrays of its own and is never closed. */
    private static final class SystemManager extends JavaNDManager implements SystemNDManager {
        SystemManager() {
            super(null, null);
        }

        @Override
        public void close() {
        }
    }
}
