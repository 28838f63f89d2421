package nmt.onnx;

import ai.djl.nn.core.Linear;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import nmt.config.DecodingConfig;
import nmt.config.ModelConfig;
import nmt.model.attention.Masks;
import nmt.model.transformer.PositionalEncoding;
import nmt.model.transformer.TransformerSeq2Seq;

/**
 * The Transformer as an encoder graph and a one-step decoder graph that mirror
 * {@link TransformerSeq2Seq}'s inference path: the encoder also projects the source keys and values
 * of every decoder layer once per sentence; the step graph reads the self-attention keys and values
 * of the positions so far from the caches (gathered by the rows' parents) and returns the new
 * position's, which the runtime writes in place.
 */
final class TransformerGraphs {
    private static final TensorProto.DataType FLOAT = TensorProto.DataType.FLOAT;
    private static final TensorProto.DataType INT64 = TensorProto.DataType.INT64;
    private static final float LAYER_NORM_EPSILON = 1e-5f;

    private final TransformerSeq2Seq model;
    private final ModelConfig architecture;
    private final DecodingConfig decoding;
    private final int modelDim;
    private final int heads;
    private final int headDim;
    private final int relative;
    private final long sourceVocabulary;
    private final long targetVocabulary;

    TransformerGraphs(TransformerSeq2Seq model, ModelConfig architecture, DecodingConfig decoding,
                      long sourceVocabulary, long targetVocabulary) {
        this.model = model;
        this.architecture = architecture;
        this.decoding = decoding;
        this.modelDim = architecture.hiddenSize();
        this.heads = architecture.heads();
        this.headDim = modelDim / heads;
        this.relative = "relative".equals(architecture.positional()) ? architecture.relativeMaxDistance() : 0;
        this.sourceVocabulary = sourceVocabulary;
        this.targetVocabulary = targetVocabulary;
    }

    OnnxGraph encoder(Weights weights) {
        OnnxGraph g = new OnnxGraph("encoder", weights);
        String source = g.input(StepNames.SOURCE, INT64, "batch", "source_length");
        String lengths = g.input(StepNames.SOURCE_LENGTHS, INT64, "batch");
        String length = g.squeeze(g.dim(source, 1), 0);
        String positions = g.op("Range", g.scalar(0L), length, g.scalar(1L));
        // Padding bias [B, 1, 1, S], as Masks.padding.
        String padded = g.cast(g.op("GreaterOrEqual", g.unsqueeze(positions, 0), g.unsqueeze(lengths, 1)), FLOAT);
        String sourceBias = g.unsqueeze(g.mul(padded, Masks.MASKED), 1, 2);
        String selfBias = architecture.restrictedWindow() > 0 ? g.add(sourceBias, band(g, positions)) : sourceBias;
        String x = embed(g, Parameters.of(model, "source_embedding"), "source_positions", source, positions);
        for (int l = 0; l < architecture.layers(); l++) {
            Parameters layer = Parameters.of(model, "encoder_" + l);
            Parameters attention = layer.child("self_attention");
            x = sublayer(g, layer.child("self_attention_sublayer"), x, h -> selfAttend(g, attention, h, selfBias,
                    positions));
            x = sublayer(g, layer.child("feed_forward_sublayer"), x, h -> feedForward(g, layer.child("feed_forward"), h));
        }
        String encoded = architecture.preNorm() ? norm(g, Parameters.of(model, "encoder_norm"), x) : x;
        g.output(StepNames.memory("source_bias"), sourceBias, FLOAT, "batch", 1, 1, "source_length");
        for (int l = 0; l < architecture.layers(); l++) {
            String[] kv = keyValues(g, Parameters.of(model, "decoder_" + l, "cross_attention"), encoded);
            g.output(StepNames.memory("cross_keys_" + l), kv[0], FLOAT, "batch", heads, "source_length", headDim);
            g.output(StepNames.memory("cross_values_" + l), kv[1], FLOAT, "batch", heads, "source_length", headDim);
        }
        return g;
    }

    OnnxGraph step(Weights weights) {
        OnnxGraph g = new OnnxGraph("decoder_step", weights);
        String tokens = g.input(StepNames.TOKENS, INT64, "batch");
        String step = g.input(StepNames.STEP, INT64);
        String parents = g.input(StepNames.PARENTS, INT64, "batch");
        String sourceBias = g.input(StepNames.memory("source_bias"), FLOAT, StepNames.SENTENCES, 1, 1,
                "source_length");
        String x = embed(g, Parameters.of(model, architecture.sharedEmbeddings() ? "source_embedding" : "target_embedding"),
                "target_positions", g.unsqueeze(tokens, 1), g.unsqueeze(step, 0));
        String reported = null;
        int reportedLayer = decoding.attentionLayer() < 0 ? architecture.layers() - 1 : decoding.attentionLayer();
        for (int l = 0; l < architecture.layers(); l++) {
            Parameters layer = Parameters.of(model, "decoder_" + l);
            String cachedKeys = g.gather(g.input(StepNames.cache("self_keys_" + l), FLOAT, StepNames.CACHE_ROWS, heads,
                    StepNames.CAPACITY, headDim), parents, 0);
            String cachedValues = g.gather(g.input(StepNames.cache("self_values_" + l), FLOAT, StepNames.CACHE_ROWS,
                    heads, StepNames.CAPACITY, headDim), parents, 0);
            g.output(StepNames.nextCache("self_keys_" + l), cachedKeys, FLOAT, "batch", heads, StepNames.CAPACITY,
                    headDim);
            g.output(StepNames.nextCache("self_values_" + l), cachedValues, FLOAT, "batch", heads, StepNames.CAPACITY,
                    headDim);
            String crossKeys = g.input(StepNames.memory("cross_keys_" + l), FLOAT, StepNames.SENTENCES, heads,
                    "source_length", headDim);
            String crossValues = g.input(StepNames.memory("cross_values_" + l), FLOAT, StepNames.SENTENCES, heads,
                    "source_length", headDim);
            // 1. Self-attention over the cached positions and this one.
            Parameters self = layer.child("self_attention");
            Parameters selfSublayer = layer.child("self_attention_sublayer");
            String h = enter(g, selfSublayer, x);
            String[] fresh = keyValues(g, self, h);
            g.output(StepNames.newCache("self_keys_" + l), fresh[0], FLOAT, "batch", heads, 1, headDim);
            g.output(StepNames.newCache("self_values_" + l), fresh[1], FLOAT, "batch", heads, 1, headDim);
            String y = leave(g, selfSublayer, x, attendCached(g, self, h, fresh, cachedKeys, cachedValues, step));
            // 2. Encoder–decoder attention.
            Parameters crossSublayer = layer.child("cross_attention_sublayer");
            String[] cross = attendSentences(g, layer.child("cross_attention"), enter(g, crossSublayer, y), crossKeys,
                    crossValues, sourceBias);
            String z = leave(g, crossSublayer, y, cross[0]);
            if (l == reportedLayer) {
                String weightsOfNewest = cross[1];
                reported = decoding.attentionHead() < 0
                        ? g.op("ReduceMean", new Object[] {"axes", new long[] {1}, "keepdims", 0L}, weightsOfNewest)
                        : g.gather(weightsOfNewest, g.scalar((long) decoding.attentionHead()), 1);
            }
            // 3. Feed-forward.
            x = sublayer(g, layer.child("feed_forward_sublayer"), z, in -> feedForward(g, layer.child("feed_forward"), in));
        }
        String features = architecture.preNorm() ? norm(g, Parameters.of(model, "decoder_norm"), x) : x;
        String logits = output(g, g.squeeze(features, 1));
        g.output(StepNames.LOG_PROBS, g.logSoftmax(logits), FLOAT, "batch", targetVocabulary);
        g.output(StepNames.ATTENTION, reported, FLOAT, "batch", "source_length");
        return g;
    }

    /** Restricted self-attention [S, S], as Masks.band: masked beyond ±model.restricted_window. */
    private String band(OnnxGraph g, String positions) {
        String distance = g.op("Abs", g.sub(g.unsqueeze(positions, 1), g.unsqueeze(positions, 0)));
        String far = g.cast(g.op("Greater", distance, g.scalar((long) architecture.restrictedWindow())), FLOAT);
        return g.mul(far, Masks.MASKED);
    }

    /** Scaled embeddings plus absolute positions (none with relative ones). */
    private String embed(OnnxGraph g, Parameters table, String positionsBlock, String ids, String positions) {
        String e = g.mul(g.weights().embedding(g, ids, 2, table), (float) Math.sqrt(modelDim));
        if (relative > 0) {
            return e;
        }
        float[] rows = ((PositionalEncoding) Parameters.of(model, positionsBlock).block()).table();
        String added = g.gather(g.floats(g.fresh("positions"), rows, rows.length / modelDim, modelDim), positions, 0);
        return g.add(e, added);
    }

    private String output(OnnxGraph g, String features) {
        Parameters output = Parameters.of(model, "output");
        float[] bias = output.floats("bias");
        if (output.hasParameter("weight")) {
            return g.linear(features, output.floats("weight"), targetVocabulary, modelDim, bias);
        }
        Parameters tied = Parameters.of(model, architecture.sharedEmbeddings() ? "source_embedding" : "target_embedding");
        return g.weights().tiedOutput(g, features, tied, bias);
    }

    private interface Sub {
        String apply(String h);
    }

    private String sublayer(OnnxGraph g, Parameters sublayer, String x, Sub f) {
        return leave(g, sublayer, x, f.apply(enter(g, sublayer, x)));
    }

    private String enter(OnnxGraph g, Parameters sublayer, String x) {
        return architecture.preNorm() ? norm(g, sublayer.child("norm"), x) : x;
    }

    private String leave(OnnxGraph g, Parameters sublayer, String x, String y) {
        String sum = g.add(x, y);
        return architecture.preNorm() ? sum : norm(g, sublayer.child("norm"), sum);
    }

    private static String norm(OnnxGraph g, Parameters norm, String x) {
        long dim = norm.shape("gamma")[0];
        return g.layerNorm(x, g.floats(g.fresh("gamma"), norm.floats("gamma"), dim),
                g.floats(g.fresh("beta"), norm.floats("beta"), dim), LAYER_NORM_EPSILON);
    }

    private String feedForward(OnnxGraph g, Parameters feedForward, String x) {
        List<Parameters> linears = feedForward.all(Linear.class);
        Parameters in = linears.get(0);
        Parameters out = linears.get(1);
        long ff = in.shape("weight")[0];
        String h = g.linear(x, in.floats("weight"), ff, modelDim, in.floats("bias"));
        h = "gelu".equals(architecture.activation()) ? g.gelu(h) : g.relu(h);
        return g.linear(h, out.floats("weight"), modelDim, ff, out.floats("bias"));
    }

    private String project(OnnxGraph g, Parameters linear, String x) {
        return g.linear(x, linear.floats("weight"), modelDim, modelDim, linear.floats("bias"));
    }

    /** [B, T, D] → [B, H, T, d_k]. */
    private String split(OnnxGraph g, String x) {
        return g.transpose(g.reshape(x, 0, 0, heads, headDim), 0, 2, 1, 3);
    }

    private String[] keyValues(OnnxGraph g, Parameters attention, String input) {
        return new String[] {split(g, project(g, attention.child("key"), input)),
                split(g, project(g, attention.child("value"), input))};
    }

    /**
     * Self-attention of the newest position over the cached ones (before {@code step}; the cache's
     * later positions are masked) and itself, without copying the cache: scores against the cache
     * and against the new key are joined, and so are the two halves of the context.
     *
     * @param fresh the new position's keys and values [B, H, 1, d_k]
     * @return the projected context [B, 1, D]
     */
    private String attendCached(OnnxGraph g, Parameters attention, String query, String[] fresh, String cachedKeys,
                                String cachedValues, String step) {
        String q = split(g, project(g, attention.child("query"), query));
        String positions = g.op("Range", g.scalar(0L), g.squeeze(g.dim(cachedKeys, 2), 0), g.scalar(1L));
        String cached = g.matMul(q, g.transpose(cachedKeys, 0, 1, 3, 2));
        String newest = g.op("ReduceSum", new Object[] {"keepdims", 1L}, g.mul(q, fresh[0]), g.longs(3));
        String[] cachedTables = null;
        String[] newestRows = null;
        if (relative > 0) {
            // Rows clip(j − step, −k, k) + k for the cached positions j; the newest is at distance 0, row k.
            String buckets = g.add(g.op("Clip", g.sub(positions, step), g.scalar((long) -relative),
                    g.scalar((long) relative)), g.scalar((long) relative));
            Parameters relativeTables = attention.child("relative_positions");
            cachedTables = new String[2];
            newestRows = new String[2];
            for (int i = 0; i < 2; i++) {
                Parameters table = relativeTables.child(i == 0 ? "keys" : "values");
                String rows = g.floats(g.fresh("relative"), table.floats("embedding"), table.shape("embedding")[0],
                        headDim);
                cachedTables[i] = g.gather(rows, buckets, 0);
                newestRows[i] = g.gather(rows, g.scalar((long) relative), 0);
            }
            cached = g.add(cached, g.matMul(q, g.transpose(cachedTables[0], 1, 0)));
            newest = g.add(newest, g.matMul(q, g.unsqueeze(newestRows[0], 1)));
        }
        String masked = g.mul(g.cast(g.op("GreaterOrEqual", positions, step), FLOAT), Masks.MASKED);
        String scores = g.mul(g.concat(3, cached, newest), (float) (1 / Math.sqrt(headDim)));
        String weights = g.softmax(g.add(scores, g.concat(0, masked, g.floats(g.fresh("zero"), new float[] {0f}, 1))));
        String capacity = g.dim(cachedKeys, 2);
        String toCache = g.slice(weights, g.longs(0), capacity, 3);
        String toNewest = g.slice(weights, capacity, g.add(capacity, g.longs(1)), 3);
        String context = g.add(g.matMul(toCache, cachedValues), g.mul(toNewest, fresh[1]));
        if (cachedTables != null) {
            context = g.add(context, g.add(g.matMul(toCache, cachedTables[1]), g.mul(toNewest, newestRows[1])));
        }
        String merged = g.reshape(g.transpose(context, 0, 2, 1, 3), 0, 0, modelDim);
        return project(g, attention.child("output"), merged);
    }

    /**
     * Encoder–decoder attention of one position per row, [B, 1, D], over the memory of the rows'
     * sentences, [N, H, S, d_k] with B = N·k rows in blocks of k per sentence: each sentence's
     * queries are multiplied by its keys and values once, with no copy of them per row.
     *
     * @return the projected context [B, 1, D] and the weights of every head [B, H, S]
     */
    private String[] attendSentences(OnnxGraph g, Parameters attention, String query, String keys, String values,
                                     String bias) {
        String sentences = g.dim(keys, 0);
        String q = g.op("Reshape", project(g, attention.child("query"), query),
                g.concat(0, sentences, g.longs(-1, heads, headDim)));
        q = g.transpose(q, 0, 2, 1, 3);
        String scores = g.mul(g.matMul(q, g.transpose(keys, 0, 1, 3, 2)), (float) (1 / Math.sqrt(headDim)));
        String weights = g.softmax(g.add(scores, bias));
        String context = g.reshape(g.transpose(g.matMul(weights, values), 0, 2, 1, 3), -1, 1, modelDim);
        String perRow = g.op("Reshape", g.transpose(weights, 0, 2, 1, 3),
                g.concat(0, g.longs(-1, heads), g.dim(keys, 2)));
        return new String[] {project(g, attention.child("output"), context), perRow};
    }

    /**
     * The encoder's self-attention of x [B, S, D] over its own keys and values, with the relative
     * position terms where the model has them (keys and queries at positions 0..S−1).
     *
     * @return the projected context [B, S, D]
     */
    private String selfAttend(OnnxGraph g, Parameters attention, String x, String bias, String positions) {
        String[] keyValues = keyValues(g, attention, x);
        String q = split(g, project(g, attention.child("query"), x));
        String scores = g.matMul(q, g.transpose(keyValues[0], 0, 1, 3, 2));
        String[] tables = null;
        if (relative > 0) {
            // Table rows clip(j − i, −k, k) + k for query i and key j, [S, S].
            String distance = g.sub(g.unsqueeze(positions, 0), g.unsqueeze(positions, 1));
            String buckets = g.add(g.op("Clip", distance, g.scalar((long) -relative), g.scalar((long) relative)),
                    g.scalar((long) relative));
            tables = new String[2];
            for (int i = 0; i < 2; i++) {
                Parameters table = attention.child("relative_positions").child(i == 0 ? "keys" : "values");
                long rows = table.shape("embedding")[0];
                tables[i] = g.gather(g.floats(g.fresh("relative"), table.floats("embedding"), rows, headDim), buckets, 0);
            }
            scores = g.add(scores, g.op("Einsum", new Object[] {"equation", "bhqd,qkd->bhqk"}, q, tables[0]));
        }
        String weights = g.softmax(g.add(g.mul(scores, (float) (1 / Math.sqrt(headDim))), bias));
        String context = g.matMul(weights, keyValues[1]);
        if (tables != null) {
            context = g.add(context, g.op("Einsum", new Object[] {"equation", "bhqk,qkd->bhqd"}, weights, tables[1]));
        }
        return project(g, attention.child("output"), g.reshape(g.transpose(context, 0, 2, 1, 3), 0, 0, modelDim));
    }
}
