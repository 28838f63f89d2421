package nmt.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * How parameters enter a graph: as float32, or as int8 with one symmetric scale per output channel
 * (a weight's row), whose matrix products ONNX Runtime runs as {@code DynamicQuantizeMatMul}
 * (activations quantized per call, accumulation in int32). Softmax, norms and biases stay float32.
 */
record Weights(boolean int8) {
    private static final float INT8_MAX = 127f;

    /** x · Wᵀ + b for a weight [out, in] (row-major) and an optional bias [out]. */
    String linear(OnnxGraph g, String x, float[] weight, long out, long in, float[] bias) {
        String b = bias == null ? "" : g.floats(g.fresh("b"), bias, out);
        if (int8) {
            Quantized q = Quantized.rows(weight, (int) out, (int) in);
            String w = g.int8s(g.fresh("wq"), q.transposed(), in, out);
            String s = g.floats(g.fresh("ws"), q.scales(), out);
            return g.microsoft("DynamicQuantizeMatMul", x, w, s, "", b);
        }
        String y = g.matMul(x, g.floats(g.fresh("w"), transpose(weight, (int) out, (int) in), in, out));
        return bias == null ? y : g.add(y, b);
    }

    /** Rows of an embedding table [rows, dim] for int64 ids of any shape. */
    String embedding(OnnxGraph g, String ids, float[] table, long rows, long dim) {
        if (int8) {
            Quantized q = Quantized.rows(table, (int) rows, (int) dim);
            String values = g.cast(g.gather(g.int8s(g.fresh("eq"), q.values(), rows, dim), ids, 0),
                    TensorProto.DataType.FLOAT);
            return g.mul(values, g.gather(g.floats(g.fresh("es"), q.scales(), rows, 1), ids, 0));
        }
        return g.gather(g.floats(g.fresh("e"), table, rows, dim), ids, 0);
    }

    static float[] transpose(float[] m, int rows, int columns) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                t[c * rows + r] = m[r * columns + c];
            }
        }
        return t;
    }

    /**
     * A matrix [rows, columns] as int8 values with one scale per row: max |row| / 127, so each row
     * uses the whole range and 0 stays exact.
     */
    record Quantized(byte[] values, float[] scales, int rows, int columns) {
        static Quantized rows(float[] m, int rows, int columns) {
            byte[] q = new byte[m.length];
            float[] scales = new float[rows];
            for (int r = 0; r < rows; r++) {
                float max = 0;
                for (int c = 0; c < columns; c++) {
                    max = Math.max(max, Math.abs(m[r * columns + c]));
                }
                float scale = max == 0 ? 1f : max / INT8_MAX;
                scales[r] = scale;
                for (int c = 0; c < columns; c++) {
                    q[r * columns + c] = (byte) Math.max(-INT8_MAX, Math.min(INT8_MAX,
                            Math.round(m[r * columns + c] / scale)));
                }
            }
            return new Quantized(q, scales, rows, columns);
        }

        /** The values as [columns, rows], the layout of a MatMul's right-hand side. */
        byte[] transposed() {
            byte[] t = new byte[values.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    t[c * rows + r] = values[r * columns + c];
                }
            }
            return t;
        }
    }
}
