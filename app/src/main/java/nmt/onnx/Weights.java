package nmt.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * How parameters enter a graph: as float32, or as int8 with one symmetric scale per output channel
 * (a weight's row), whose matrix products ONNX Runtime runs as {@code DynamicQuantizeMatMul}
 * (activations quantized per call, accumulation in int32). Softmax, norms and biases stay float32.
 * Both graphs of an export share {@code data}, where their initializers go.
 */
record Weights(boolean int8, ExternalData data) {
    private static final float INT8_MAX = 127f;

    /** x · Wᵀ + b for x [rows, in] (any rank in fp32), a weight [out, in] (row-major) and an optional bias [out]. */
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

    /**
     * Rows of an embedding table (the "embedding" parameter [rows, dim] of {@code table}) for int64
     * ids of rank {@code idsRank}: [ids..., dim].
     */
    String embedding(OnnxGraph g, String ids, int idsRank, Parameters table) {
        String[] stored = table(g, table);
        if (int8) {
            // The int8 table is stored [dim, rows] for the output layer: gather columns, then put dim last.
            long[] perm = new long[idsRank + 1];
            for (int i = 0; i < idsRank; i++) {
                perm[i] = i + 1;
            }
            String values = g.transpose(g.cast(g.gather(stored[0], ids, 1), TensorProto.DataType.FLOAT), perm);
            return g.mul(values, g.unsqueeze(g.gather(stored[1], ids, 0), idsRank));
        }
        return g.gather(stored[0], ids, 0);
    }

    /** x [B, dim] · Eᵀ + b with the embedding matrix E [rows, dim] of {@code table} (tied weights): [B, rows]. */
    String tiedOutput(OnnxGraph g, String x, Parameters table, float[] bias) {
        String[] stored = table(g, table);
        String b = g.floats(g.fresh("b"), bias, bias.length);
        if (int8) {
            return g.microsoft("DynamicQuantizeMatMul", x, stored[0], stored[1], "", b);
        }
        return g.op("Gemm", new Object[] {"transB", 1L}, x, stored[0], b);
    }

    /**
     * An embedding matrix's initializers, made once per graph however often it is read: float32
     * [rows, dim]; or int8 [dim, rows] (the layout of a MatMul's right-hand side) with one scale per row.
     */
    private String[] table(OnnxGraph g, Parameters table) {
        return g.table(table.path(), () -> {
            long[] shape = table.shape("embedding");
            float[] values = table.floats("embedding");
            if (int8) {
                Quantized q = Quantized.rows(values, (int) shape[0], (int) shape[1]);
                return new String[] {g.int8s(g.fresh("eq"), q.transposed(), shape[1], shape[0]),
                        g.floats(g.fresh("es"), q.scales(), shape[0])};
            }
            return new String[] {g.floats(g.fresh("e"), values, shape[0], shape[1])};
        });
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
