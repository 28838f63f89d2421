package nmt.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.List;
import nmt.config.ModelConfig;
import nmt.model.attention.Masks;
import nmt.model.attention.Window;
import nmt.model.rnn.InitialState;
import nmt.model.rnn.RnnSeq2Seq;

/**
 * The Bahdanau and Luong models as an encoder graph and a one-step decoder graph that mirror
 * {@link RnnSeq2Seq}'s inference path. The encoder also runs the decoder's start: the source
 * prepared for attention (memory.*) and the first recurrent state (state.*). The RNN states travel
 * batch-first, [B, layers, H], where DJL holds them as [layers, B, H], so that beam search can
 * reorder them like every other state.
 *
 * <p>The encoder runs ONNX's GRU operator, whose weights are float32 whatever
 * {@link Weights} says: an int8 export quantizes the decoder's cells (written out as matrix
 * products), the embeddings and the other linear layers, not the encoder's recurrences.
 */
final class RnnGraphs {
    private static final TensorProto.DataType FLOAT = TensorProto.DataType.FLOAT;
    private static final TensorProto.DataType INT64 = TensorProto.DataType.INT64;
    private static final String KEYS = "keys";
    private static final String VALUES = "values";
    private static final String LENGTHS = "lengths";
    private static final String MASK_BIAS = "mask_bias";
    private static final String H = "h";
    private static final String ATTENTIONAL = "attentional";
    /** PyTorch's GRU gates (r, z, n) in ONNX's order (z, r, h). */
    private static final int[] ONNX_GRU_GATES = {1, 0, 2};

    private final RnnSeq2Seq model;
    private final boolean luong;
    private final boolean bidirectional;
    private final int layers;
    private final int hidden;
    private final int embeddingDim;
    private final int contextDim;
    private final String score;
    private final boolean scaled;
    private final Window window;
    private final int halfWidth;
    private final boolean hard;
    private final boolean inputFeeding;
    private final InitialState initialState;
    private final long targetVocabulary;

    RnnGraphs(RnnSeq2Seq model, ModelConfig architecture, long targetVocabulary) {
        this.model = model;
        this.luong = "luong".equals(architecture.type());
        this.bidirectional = architecture.bidirectional();
        this.layers = architecture.layers();
        this.hidden = architecture.hiddenSize();
        this.embeddingDim = architecture.embeddingSize();
        this.contextDim = bidirectional ? 2 * hidden : hidden;
        this.score = architecture.attention();
        this.scaled = architecture.attentionScale();
        this.window = Window.fromConfig(architecture.attentionWindow());
        this.halfWidth = architecture.localWindow();
        this.hard = "hard".equals(architecture.attentionMode());
        // As ModelFactory: only a Luong decoder feeds its attentional vector back.
        this.inputFeeding = luong && architecture.inputFeeding();
        this.initialState = InitialState.fromConfig(architecture.initState());
        this.targetVocabulary = targetVocabulary;
    }

    OnnxGraph encoder(Weights weights) {
        OnnxGraph g = new OnnxGraph("encoder", weights);
        String source = g.input(StepNames.SOURCE, INT64, "batch", "source_length");
        String lengths = g.input(StepNames.SOURCE_LENGTHS, INT64, "batch");
        Parameters table = Parameters.of(model, "source_embedding");
        String input = weights.embedding(g, source, 2, table);

        // RnnEncoder.encode: the backward direction reads each sentence reversed within its length.
        String length = g.squeeze(g.dim(source, 1), 0);
        String positions = g.op("Range", g.scalar(0L), length, g.scalar(1L));
        String len = g.unsqueeze(lengths, 1);
        String row = g.unsqueeze(positions, 0);
        String lastValid = g.sub(len, g.scalar(1L));
        String reversed = bidirectional
                ? g.op("Where", g.op("Less", row, len), g.sub(lastValid, row), row) : null;
        Parameters encoder = Parameters.of(model, "encoder");
        List<String> finals = new ArrayList<>();
        for (int l = 0; encoder.has("forward_" + l); l++) {
            String fwd = recurrent(g, encoder.child("forward_" + l), input);
            String fwdFinal = g.squeeze(gatherTime(g, fwd, lastValid), 1);
            if (bidirectional) {
                String bwd = gatherTime(g, recurrent(g, encoder.child("backward_" + l), gatherTime(g, input, reversed)),
                        reversed);
                input = g.concat(2, fwd, bwd);
                finals.add(g.unsqueeze(g.concat(1, fwdFinal, g.gather(bwd, g.scalar(0L), 1)), 1));
            } else {
                input = fwd;
                finals.add(g.unsqueeze(fwdFinal, 1));
            }
        }
        String outputs = input;

        // RnnAttention.prepare, with the keys and values both the encoder's outputs.
        String floatLengths = g.reshape(g.cast(lengths, FLOAT), -1, 1, 1);
        String sourcePositions = g.reshape(g.cast(positions, FLOAT), 1, 1, -1);
        String maskBias = g.mul(g.cast(g.op("GreaterOrEqual", sourcePositions, floatLengths), FLOAT), Masks.MASKED);
        g.output(StepNames.memory(KEYS), prepareKeys(g, outputs), FLOAT, keyDims());
        g.output(StepNames.memory(VALUES), outputs, FLOAT, "batch", "source_length", contextDim);
        g.output(StepNames.memory(LENGTHS), floatLengths, FLOAT, "batch", 1, 1);
        g.output(StepNames.memory(MASK_BIAS), maskBias, FLOAT, "batch", 1, "source_length");

        // RnnDecoder.initialHidden, batch-first: finals [B, encoder layers, C].
        String batch = g.dim(source, 0);
        String h;
        if (initialState == InitialState.ZERO) {
            h = g.op("ConstantOfShape", g.concat(0, batch, g.longs(layers, hidden)));
        } else {
            // Decoder layer l starts from encoder layer min(l, encoder layers − 1).
            long[] picked = new long[layers];
            for (int l = 0; l < layers; l++) {
                picked[l] = Math.min(l, finals.size() - 1);
            }
            String perLayer = g.gather(g.concat(1, finals.toArray(String[]::new)), g.longs(picked), 1);
            h = initialState == InitialState.BRIDGE
                    ? g.tanh(linear(g, Parameters.of(model, "decoder", "bridge"), perLayer)) : perLayer;
        }
        g.output(StepNames.state(H), h, FLOAT, "batch", layers, hidden);
        if (inputFeeding) {
            g.output(StepNames.state(ATTENTIONAL), g.op("ConstantOfShape", g.concat(0, batch, g.longs(1, hidden))),
                    FLOAT, "batch", 1, hidden);
        }
        return g;
    }

    OnnxGraph step(Weights weights) {
        OnnxGraph g = new OnnxGraph("decoder_step", weights);
        String tokens = g.input(StepNames.TOKENS, INT64, "batch");
        String step = g.input(StepNames.STEP, INT64);
        Attended attended = new Attended(g.input(StepNames.memory(KEYS), FLOAT, keyDims()),
                g.input(StepNames.memory(VALUES), FLOAT, "batch", "source_length", contextDim),
                g.input(StepNames.memory(LENGTHS), FLOAT, "batch", 1, 1),
                g.input(StepNames.memory(MASK_BIAS), FLOAT, "batch", 1, "source_length"), step);
        String h = g.input(StepNames.state(H), FLOAT, "batch", layers, hidden);
        String attentional = inputFeeding ? g.input(StepNames.state(ATTENTIONAL), FLOAT, "batch", 1, hidden) : null;
        Parameters decoder = Parameters.of(model, "decoder");
        Parameters table = decoder.child("embedding");
        String embedded = weights.embedding(g, tokens, 1, table);

        Cells next;
        String[] attention;
        String features;
        if (luong) {
            // LuongDecoder.step: the RNN first; its new top state queries the source.
            next = cells(g, inputFeeding ? g.concat(1, embedded, g.squeeze(attentional, 1)) : embedded, h);
            attention = attend(g, g.unsqueeze(next.top(), 1), attended);
            String context = g.squeeze(attention[0], 1);
            features = g.tanh(linear(g, decoder.child("combine"), g.concat(1, context, next.top())));
        } else {
            // BahdanauDecoder.step: the previous top state queries the source; the context joins the input.
            attention = attend(g, g.unsqueeze(g.gather(h, g.scalar((long) layers - 1), 1), 1), attended);
            String context = g.squeeze(attention[0], 1);
            next = cells(g, g.concat(1, embedded, context), h);
            features = g.tanh(linear(g, decoder.child("readout"), g.concat(1, next.top(), context, embedded)));
        }
        g.output(StepNames.LOG_PROBS, g.logSoftmax(output(g, decoder, features)), FLOAT, "batch", targetVocabulary);
        g.output(StepNames.ATTENTION, g.squeeze(attention[1], 1), FLOAT, "batch", "source_length");
        g.output(StepNames.nextState(H), next.h(), FLOAT, "batch", layers, hidden);
        if (inputFeeding) {
            g.output(StepNames.nextState(ATTENTIONAL), g.unsqueeze(features, 1), FLOAT, "batch", 1, hidden);
        }
        return g;
    }

    /** The prepared keys' dimensions: [B, S, A] for additive scores, transposed [B, D, S] for multiplicative. */
    private Object[] keyDims() {
        return switch (score) {
            case "additive", "concat" -> new Object[] {"batch", "source_length", hidden};
            case "general" -> new Object[] {"batch", hidden, "source_length"};
            default -> new Object[] {"batch", contextDim, "source_length"};
        };
    }

    /** AttentionScore.prepareKeys. */
    private String prepareKeys(OnnxGraph g, String outputs) {
        Parameters scoring = Parameters.of(model, "decoder", "attention", "score");
        return switch (score) {
            case "additive", "concat" -> linear(g, scoring.child("key"), outputs);
            case "general" -> g.transpose(linear(g, scoring.child("key"), outputs), 0, 2, 1);
            default -> g.transpose(outputs, 0, 2, 1);
        };
    }

    /** The step graph's view of the memory, and the step (local-m centres its window on it). */
    private record Attended(String keys, String values, String lengths, String maskBias, String step) {
    }

    /**
     * RnnAttention.attend for one query [B, 1, Q].
     *
     * @return the context [B, 1, C] and the weights [B, 1, S]
     */
    private String[] attend(OnnxGraph g, String query, Attended attended) {
        Parameters attention = Parameters.of(model, "decoder", "attention");
        Parameters scoring = attention.child("score");
        String scores;
        if ("additive".equals(score) || "concat".equals(score)) {
            String q = linear(g, scoring.child("query"), query);
            String tanh = g.tanh(g.add(g.unsqueeze(q, 2), g.unsqueeze(attended.keys(), 1)));
            scores = g.squeeze(linear(g, scoring.child("v"), tanh), 3);
        } else {
            scores = g.matMul(query, attended.keys());
            if (scaled) {
                scores = g.mul(scores, (float) (1.0 / Math.sqrt(hidden)));
            }
        }
        String weights;
        if (window == Window.GLOBAL) {
            weights = g.softmax(g.add(scores, attended.maskBias()));
        } else {
            String length = g.cast(g.dim(attended.maskBias(), 2), FLOAT);
            String positions = g.reshape(g.op("Range", g.scalar(0f), g.squeeze(length, 0), g.scalar(1f)), 1, 1, -1);
            String distance = g.sub(positions, centre(g, attention, query, attended));
            String outside = g.mul(g.cast(g.op("Greater", g.op("Abs", distance), g.scalar((float) halfWidth)), FLOAT),
                    Masks.MASKED);
            float sigma = halfWidth / 2f;
            String gaussian = g.op("Exp", g.op("Div", g.mul(distance, distance), g.scalar(-2f * sigma * sigma)));
            weights = g.mul(g.softmax(g.add(scores, g.add(attended.maskBias(), outside))), gaussian);
        }
        if (hard) {
            String best = g.op("ArgMax", new Object[] {"axis", -1L, "keepdims", 0L}, weights);
            weights = g.op("OneHot", new Object[] {"axis", -1L}, best, g.dim(attended.maskBias(), 2),
                    g.floats(g.fresh("one_hot"), new float[] {0f, 1f}, 2));
        }
        return new String[] {g.matMul(weights, attended.values()), weights};
    }

    /** RnnAttention.centre, [B, 1, 1]: the step for local-m, predicted for local-p; within [0, length − 1]. */
    private String centre(OnnxGraph g, Parameters attention, String query, Attended attended) {
        String lastPosition = g.sub(attended.lengths(), g.scalar(1f));
        if (window == Window.LOCAL_M) {
            return g.op("Min", g.reshape(g.cast(attended.step(), FLOAT), 1, 1, 1), lastPosition);
        }
        String h = g.tanh(linear(g, attention.child("centre_hidden"), query));
        return g.mul(g.sigmoid(linear(g, attention.child("centre_out"), h)), lastPosition);
    }

    /** The decoder RNN's new states, [B, layers, H], and its top layer's output [B, H]. */
    private record Cells(String top, String h) {
    }

    /** One step of the stacked decoder RNN from input x [B, In]; layer l reads layer l − 1's new state. */
    private Cells cells(OnnxGraph g, String x, String h) {
        Parameters rnn = Parameters.of(model, "decoder", "rnn");
        String[] hs = new String[layers];
        String in = x;
        for (int l = 0; l < layers; l++) {
            String layer = g.scalar((long) l);
            String previous = g.gather(h, layer, 1);
            String i2h = rnnLinear(g, rnn, l, "i2h", in);
            String h2h = rnnLinear(g, rnn, l, "h2h", previous);
            // PyTorch's GRU: gates r, z, n; n = tanh(W_in x + b_in + r·(W_hn h + b_hn)), h' = (h − n)·z + n.
            String r = g.sigmoid(g.add(gate(g, i2h, 0), gate(g, h2h, 0)));
            String z = g.sigmoid(g.add(gate(g, i2h, 1), gate(g, h2h, 1)));
            String n = g.tanh(g.add(gate(g, i2h, 2), g.mul(r, gate(g, h2h, 2))));
            in = g.add(g.mul(g.sub(previous, n), z), n);
            hs[l] = g.unsqueeze(in, 1);
        }
        return new Cells(in, g.concat(1, hs));
    }

    /** W x + b of one layer's input ("i2h") or recurrent ("h2h") weights, all gates at once. */
    private String rnnLinear(OnnxGraph g, Parameters rnn, int layer, String kind, String x) {
        String prefix = "l_" + layer + "_" + kind + "_";
        long[] shape = rnn.shape(prefix + "WEIGHT");
        return g.linear(x, rnn.floats(prefix + "WEIGHT"), shape[0], shape[1], rnn.floats(prefix + "BIAS"));
    }

    /** Gate k of the fused gates [B, gates·H]. */
    private String gate(OnnxGraph g, String gates, int k) {
        return g.slice(gates, g.longs((long) k * hidden), g.longs((long) (k + 1) * hidden), 1);
    }

    /**
     * One direction of one encoder layer over [B, S, In], every position as DJL runs it (no
     * sequence lengths), as ONNX's GRU with linear_before_reset (PyTorch's GRU): [B, S, H].
     */
    private String recurrent(OnnxGraph g, Parameters rnn, String x) {
        int[] order = ONNX_GRU_GATES;
        long gates = (long) order.length * hidden;
        long in = rnn.shape("l_0_i2h_WEIGHT")[1];
        String w = g.floats(g.fresh("w"), reorder(rnn.floats("l_0_i2h_WEIGHT"), order), 1, gates, in);
        String r = g.floats(g.fresh("r"), reorder(rnn.floats("l_0_h2h_WEIGHT"), order), 1, gates, hidden);
        float[] inputBias = reorder(rnn.floats("l_0_i2h_BIAS"), order);
        float[] hiddenBias = reorder(rnn.floats("l_0_h2h_BIAS"), order);
        float[] bias = new float[inputBias.length + hiddenBias.length];
        System.arraycopy(inputBias, 0, bias, 0, inputBias.length);
        System.arraycopy(hiddenBias, 0, bias, inputBias.length, hiddenBias.length);
        String b = g.floats(g.fresh("b"), bias, 1, 2 * gates);
        Object[] attributes = {"hidden_size", (long) hidden, "linear_before_reset", 1L};
        // Time-major in and out ([S, 1 direction, B, H]): ONNX Runtime runs no batch-first layout.
        String y = g.op("GRU", attributes, g.transpose(x, 1, 0, 2), w, r, b);
        return g.transpose(g.squeeze(y, 1), 1, 0, 2);
    }

    /** The blocks of equal rows of m (one per gate) in the given order. */
    private static float[] reorder(float[] m, int[] order) {
        int block = m.length / order.length;
        float[] out = new float[m.length];
        for (int k = 0; k < order.length; k++) {
            System.arraycopy(m, order[k] * block, out, k * block, block);
        }
        return out;
    }

    /** x[b, index[b, t], :] for x [B, S, C] and index [B, T], as RnnEncoder.gatherTime. */
    private static String gatherTime(OnnxGraph g, String x, String index) {
        return g.op("GatherND", new Object[] {"batch_dims", 1L}, x, g.unsqueeze(index, 2));
    }

    private String output(OnnxGraph g, Parameters decoder, String features) {
        Parameters output = decoder.child("output");
        long featureDim = luong ? hidden : embeddingDim;
        if (output.hasParameter("weight")) {
            return g.linear(features, output.floats("weight"), targetVocabulary, featureDim, output.floats("bias"));
        }
        return g.weights().tiedOutput(g, features, decoder.child("embedding"), output.floats("bias"));
    }

    /** A DJL Linear block, with its bias if it has one. */
    private static String linear(OnnxGraph g, Parameters linear, String x) {
        long[] shape = linear.shape("weight");
        return g.linearAnyRank(x, linear.floats("weight"), shape[0], shape[1],
                linear.hasParameter("bias") ? linear.floats("bias") : null);
    }
}
