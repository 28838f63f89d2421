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
 * position's, which the runtime writes in place. Per step, values are [rows, D] throughout, so an
 * int8 linear layer is one operator: at one sentence a step's time is mostly per-operator overhead.
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
        String sourceLength = g.dim(source, 1);
        String positions = g.op("Range", g.scalar(0L), g.squeeze(sourceLength, 0), g.scalar(1L));
        // Padding bias [B, 1, 1, S], as Masks.padding.
        String padded = g.cast(g.op("GreaterOrEqual", g.unsqueeze(positions, 0), g.unsqueeze(lengths, 1)), FLOAT);
        String sourceBias = g.unsqueeze(g.mul(padded, Masks.MASKED), 1, 2);
        String selfBias = architecture.restrictedWindow() > 0 ? g.add(sourceBias, band(g, positions)) : sourceBias;
        // Every position as a row [B·S, D]; attention alone sees sentences, as [B, S, H, d_k].
        String headShape = g.concat(0, g.longs(-1), sourceLength, g.longs(heads, headDim));
        String x = g.reshape(embed(g, Parameters.of(model, "source_embedding"), "source_positions", source, 2,
                positions), -1, modelDim);
        for (int l = 0; l < architecture.layers(); l++) {
            Parameters layer = Parameters.of(model, "encoder_" + l);
            Parameters attention = layer.child("self_attention");
            x = sublayer(g, layer.child("self_attention_sublayer"), x, h -> selfAttend(g, attention, h, headShape, selfBias,
                    positions));
            x = sublayer(g, layer.child("feed_forward_sublayer"), x, h -> feedForward(g, layer.child("feed_forward"), h));
        }
        String encoded = architecture.preNorm() ? norm(g, Parameters.of(model, "encoder_norm"), x) : x;
        g.output(StepNames.memory("source_bias"), sourceBias, FLOAT, "batch", 1, 1, "source_length");
        for (int l = 0; l < architecture.layers(); l++) {
            Parameters cross = Parameters.of(model, "decoder_" + l, "cross_attention");
            String keys = g.op("Reshape", project(g, cross.child("key"), encoded), headShape);
            String values = g.op("Reshape", project(g, cross.child("value"), encoded), headShape);
            // Keys as [B, H, d_k, S], the right-hand side of every step's scores.
            g.output(StepNames.memory("cross_keys_" + l), g.transpose(keys, 0, 2, 3, 1), FLOAT, "batch", heads,
                    headDim, "source_length");
            g.output(StepNames.memory("cross_values_" + l), g.transpose(values, 0, 2, 1, 3), FLOAT, "batch",
                    heads, "source_length", headDim);
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
        String[] cacheInputs = new String[2 * architecture.layers()];
        for (int l = 0; l < architecture.layers(); l++) {
            cacheInputs[2 * l] = g.input(StepNames.cache("self_keys_" + l), FLOAT, StepNames.CACHE_ROWS, heads,
                    StepNames.CAPACITY, headDim);
            cacheInputs[2 * l + 1] = g.input(StepNames.cache("self_values_" + l), FLOAT, StepNames.CACHE_ROWS, heads,
                    StepNames.CAPACITY, headDim);
        }
        // Shared by every layer: the cache positions, those from this step on masked (this one is attended
        // apart, beside them), and the shape of the rows' queries by sentence.
        String capacity = g.dim(cacheInputs[0], 2);
        String positions = g.op("Range", g.scalar(0L), g.squeeze(capacity, 0), g.scalar(1L));
        String masked = g.concat(0, g.mul(g.cast(g.op("GreaterOrEqual", positions, step), FLOAT), Masks.MASKED),
                g.floats(g.fresh("zero"), new float[] {0f}, 1));
        String sentenceHeads = g.concat(0, g.dim(sourceBias, 0), g.longs(-1, heads, headDim));
        Parameters table = Parameters.of(model, architecture.sharedEmbeddings() ? "source_embedding" : "target_embedding");
        String x = embed(g, table, "target_positions", tokens, 1, step);
        String reported = null;
        int reportedLayer = decoding.attentionLayer() < 0 ? architecture.layers() - 1 : decoding.attentionLayer();
        for (int l = 0; l < architecture.layers(); l++) {
            Parameters layer = Parameters.of(model, "decoder_" + l);
            String crossKeys = g.input(StepNames.memory("cross_keys_" + l), FLOAT, StepNames.SENTENCES, heads, headDim,
                    "source_length");
            String crossValues = g.input(StepNames.memory("cross_values_" + l), FLOAT, StepNames.SENTENCES, heads,
                    "source_length", headDim);
            // 1. Self-attention over the cached positions, this one written into them.
            Parameters self = layer.child("self_attention");
            Parameters selfSublayer = layer.child("self_attention_sublayer");
            String h = enter(g, selfSublayer, x);
            String[] qkv = g.split(g.linear(h, concatRows(self, "weight"), 3L * modelDim, modelDim,
                    concatRows(self, "bias")), 1, modelDim, modelDim, modelDim);
            String[] cached = new String[2];
            String[] fresh = new String[2];
            for (int i = 0; i < 2; i++) {
                String name = (i == 0 ? "self_keys_" : "self_values_") + l;
                cached[i] = g.gather(cacheInputs[2 * l + i], parents, 0);
                fresh[i] = g.reshape(qkv[i + 1], -1, heads, 1, headDim);
                g.output(StepNames.nextCache(name), cached[i], FLOAT, "batch", heads, StepNames.CAPACITY, headDim);
                g.output(StepNames.newCache(name), fresh[i], FLOAT, "batch", heads, 1, headDim);
            }
            String y = leave(g, selfSublayer, x, attendCached(g, self, qkv[0], fresh, cached, new CacheView(capacity,
                    positions, masked), step));
            // 2. Encoder–decoder attention.
            Parameters crossSublayer = layer.child("cross_attention_sublayer");
            String[] cross = attendSentences(g, layer.child("cross_attention"), enter(g, crossSublayer, y),
                    sentenceHeads, crossKeys, crossValues, sourceBias);
            String z = leave(g, crossSublayer, y, cross[0]);
            if (l == reportedLayer) {
                String weightsOfNewest = cross[1];
                String perSentence = decoding.attentionHead() < 0
                        ? g.op("ReduceMean", new Object[] {"axes", new long[] {1}, "keepdims", 0L}, weightsOfNewest)
                        : g.gather(weightsOfNewest, g.scalar((long) decoding.attentionHead()), 1);
                reported = g.op("Reshape", perSentence, g.concat(0, g.longs(-1), g.dim(sourceBias, 3)));
            }
            // 3. Feed-forward.
            x = sublayer(g, layer.child("feed_forward_sublayer"), z, in -> feedForward(g, layer.child("feed_forward"), in));
        }
        String features = architecture.preNorm() ? norm(g, Parameters.of(model, "decoder_norm"), x) : x;
        g.output(StepNames.LOG_PROBS, g.logSoftmax(output(g, features)), FLOAT, "batch", targetVocabulary);
        g.output(StepNames.ATTENTION, reported, FLOAT, "batch", "source_length");
        return g;
    }

    /** The query, key and value projections' {@code parameter} (weight [D, D] or bias [D]) as one [3·D, ...]. */
    private static float[] concatRows(Parameters attention, String parameter) {
        float[][] parts = {attention.child("query").floats(parameter), attention.child("key").floats(parameter),
                attention.child("value").floats(parameter)};
        float[] all = new float[parts[0].length * 3];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(parts[i], 0, all, i * parts[0].length, parts[0].length);
        }
        return all;
    }

    /** Restricted self-attention [S, S], as Masks.band: masked beyond ±model.restricted_window. */
    private String band(OnnxGraph g, String positions) {
        String distance = g.op("Abs", g.sub(g.unsqueeze(positions, 1), g.unsqueeze(positions, 0)));
        String far = g.cast(g.op("Greater", distance, g.scalar((long) architecture.restrictedWindow())), FLOAT);
        return g.mul(far, Masks.MASKED);
    }

    /** Scaled embeddings plus absolute positions (none with relative ones). */
    private String embed(OnnxGraph g, Parameters table, String positionsBlock, String ids, int idsRank,
                         String positions) {
        String e = g.mul(g.weights().embedding(g, ids, idsRank, table), (float) Math.sqrt(modelDim));
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

    /**
     * What every layer's self-attention reads of the caches: their capacity (a 1-element tensor),
     * its positions, and the bias [capacity + 1] that masks the positions from the step on (the last
     * entry, the new position's, is 0).
     */
    private record CacheView(String capacity, String positions, String bias) {
    }

    /**
     * Self-attention of the newest position, q [B, D], over the cached positions before {@code step}
     * and itself, without copying the cache: scores against the cache and against the new key are
     * joined, and so are the two halves of the context.
     *
     * @param fresh  the new position's keys and values [B, H, 1, d_k]
     * @param cached the cache's keys and values [B, H, capacity, d_k]
     * @return the projected context [B, D]
     */
    private String attendCached(OnnxGraph g, Parameters attention, String query, String[] fresh, String[] cached,
                                CacheView cache, String step) {
        String q = g.reshape(query, -1, heads, 1, headDim);
        String scores = g.matMul(q, g.transpose(cached[0], 0, 1, 3, 2));
        String newest = g.op("ReduceSum", new Object[] {"keepdims", 1L}, g.mul(q, fresh[0]), g.longs(3));
        String[] tables = null;
        String[] distanceZero = null;
        if (relative > 0) {
            // Rows clip(j − step, −k, k) + k for the cached positions j; the newest is at distance 0, row k.
            String buckets = g.add(g.op("Clip", g.sub(cache.positions(), step), g.scalar((long) -relative),
                    g.scalar((long) relative)), g.scalar((long) relative));
            tables = relativeTables(g, attention, buckets);
            distanceZero = relativeTables(g, attention, g.scalar((long) relative));
            scores = g.add(scores, g.matMul(q, g.transpose(tables[0], 1, 0)));
            newest = g.add(newest, g.matMul(q, g.unsqueeze(distanceZero[0], 1)));
        }
        String joined = g.mul(g.concat(3, scores, newest), (float) (1 / Math.sqrt(headDim)));
        String weights = g.softmax(g.add(joined, cache.bias()));
        String toCache = g.slice(weights, g.longs(0), cache.capacity(), 3);
        String toNewest = g.slice(weights, cache.capacity(), g.add(cache.capacity(), g.longs(1)), 3);
        String context = g.add(g.matMul(toCache, cached[1]), g.mul(toNewest, fresh[1]));
        if (tables != null) {
            context = g.add(context, g.add(g.matMul(toCache, tables[1]), g.mul(toNewest, distanceZero[1])));
        }
        return project(g, attention.child("output"), g.reshape(context, -1, modelDim));
    }

    /** The relative-position key and value tables' rows for {@code buckets}: [..., d_k] each. */
    private String[] relativeTables(OnnxGraph g, Parameters attention, String buckets) {
        String[] tables = new String[2];
        for (int i = 0; i < 2; i++) {
            Parameters table = attention.child("relative_positions").child(i == 0 ? "keys" : "values");
            String[] rows = g.table(table.path(), () -> new String[] {g.floats(g.fresh("relative"),
                    table.floats("embedding"), table.shape("embedding")[0], headDim)});
            tables[i] = g.gather(rows[0], buckets, 0);
        }
        return tables;
    }

    /**
     * Encoder–decoder attention of one position per row, [B, D], over the memory of the rows'
     * sentences (keys [N, H, d_k, S], values [N, H, S, d_k]) with B = N·k rows in blocks of k per
     * sentence: each sentence's queries are multiplied by its keys and values once, with no copy of
     * them per row.
     *
     * @param sentenceHeads the shape [N, k, H, d_k]
     * @return the projected context [B, D] and the weights of every head [N, H, k, S]
     */
    private String[] attendSentences(OnnxGraph g, Parameters attention, String query, String sentenceHeads,
                                     String keys, String values, String bias) {
        String q = g.transpose(g.op("Reshape", project(g, attention.child("query"), query), sentenceHeads), 0, 2, 1, 3);
        String scores = g.mul(g.matMul(q, keys), (float) (1 / Math.sqrt(headDim)));
        String weights = g.softmax(g.add(scores, bias));
        String context = g.reshape(g.transpose(g.matMul(weights, values), 0, 2, 1, 3), -1, modelDim);
        return new String[] {project(g, attention.child("output"), context), weights};
    }

    /**
     * The encoder's self-attention of x [B·S, D] over its own keys and values, with the relative
     * position terms where the model has them (keys and queries at positions 0..S−1).
     *
     * @param headShape the shape [B, S, H, d_k]
     * @return the projected context [B·S, D]
     */
    private String selfAttend(OnnxGraph g, Parameters attention, String x, String headShape, String bias,
                              String positions) {
        String[] qkv = g.split(g.linear(x, concatRows(attention, "weight"), 3L * modelDim, modelDim,
                concatRows(attention, "bias")), 1, modelDim, modelDim, modelDim);
        String q = g.transpose(g.op("Reshape", qkv[0], headShape), 0, 2, 1, 3);
        String keys = g.transpose(g.op("Reshape", qkv[1], headShape), 0, 2, 3, 1);
        String values = g.transpose(g.op("Reshape", qkv[2], headShape), 0, 2, 1, 3);
        String scores = g.matMul(q, keys);
        String[] tables = null;
        if (relative > 0) {
            // Table rows clip(j − i, −k, k) + k for query i and key j, [S, S].
            String distance = g.sub(g.unsqueeze(positions, 0), g.unsqueeze(positions, 1));
            String buckets = g.add(g.op("Clip", distance, g.scalar((long) -relative), g.scalar((long) relative)),
                    g.scalar((long) relative));
            tables = relativeTables(g, attention, buckets);
            scores = g.add(scores, g.op("Einsum", new Object[] {"equation", "bhqd,qkd->bhqk"}, q, tables[0]));
        }
        String weights = g.softmax(g.add(g.mul(scores, (float) (1 / Math.sqrt(headDim))), bias));
        String context = g.matMul(weights, values);
        if (tables != null) {
            context = g.add(context, g.op("Einsum", new Object[] {"equation", "bhqk,qkd->bhqd"}, weights, tables[1]));
        }
        return project(g, attention.child("output"), g.reshape(g.transpose(context, 0, 2, 1, 3), -1, modelDim));
    }
}
