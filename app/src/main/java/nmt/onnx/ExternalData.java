package nmt.onnx;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The initializers of an export's graphs, kept in one file beside them ({@link OnnxExport#WEIGHTS},
 * ONNX's external data) with each distinct tensor stored once: the embedding table that the encoder
 * and the step both read is on disk a single time. Small constants stay inside the graphs.
 */
final class ExternalData {
    /** Tensors below this stay in the graph, where they are readable with the nodes that use them. */
    private static final int INLINE_BYTES = 1024;
    /**
     * Offsets at whole cache lines. Page-aligned ones, which ONNX Runtime may map instead of copy,
     * left serve's peak RSS unchanged for the Multi30k Transformer (int8 and fp32) and pad small
     * models' files.
     */
    private static final int ALIGNMENT = 64;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Map<ByteBuffer, Long> offsets = new HashMap<>();

    /** Sets {@code tensor}'s data to {@code raw}, in the graph or in the shared file. */
    TensorProto.Builder place(TensorProto.Builder tensor, byte[] raw) {
        if (raw.length < INLINE_BYTES) {
            return tensor.setRawData(ByteString.copyFrom(raw));
        }
        long offset = offsets.computeIfAbsent(ByteBuffer.wrap(raw), k -> append(raw));
        return tensor.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", OnnxExport.WEIGHTS))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Integer.toString(raw.length)));
    }

    private long append(byte[] raw) {
        int padding = (ALIGNMENT - bytes.size() % ALIGNMENT) % ALIGNMENT;
        bytes.write(new byte[padding], 0, padding);
        long offset = bytes.size();
        bytes.write(raw, 0, raw.length);
        return offset;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
