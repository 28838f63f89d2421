package nmt.model.rnn;

import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import nmt.model.Embeddings;
import nmt.model.OutputLayer;
import nmt.model.StepOutput;
import nmt.model.attention.AttendedSource;
import nmt.model.attention.AttentionResult;
import nmt.model.attention.RnnAttention;

/**
 * What the Bahdanau and Luong decoders share: target embedding, recurrent stack, attention,
 * initial state, dropout and the output projection. Subclasses say how one step combines them.
 */
public abstract class RnnDecoder extends AbstractBlock {
    protected final TrainableWordEmbedding embedding;
    protected final RecurrentBlock rnn;
    protected final RnnAttention attention;
    protected final OutputLayer output;
    protected final Dropout dropout;
    protected final RnnCell cell;
    protected final int embeddingDim;
    protected final int hidden;
    protected final int layers;
    /** Width of the encoder's outputs and final states. */
    protected final int contextDim;
    private final int rnnInputDim;
    private final int featureDim;
    private final InitialState initialState;
    private final Linear bridge;

    /** One step's result before the output projection. */
    protected record Step(NDArray features, RnnState state, NDArray weights) {
    }

    protected RnnDecoder(RnnCell cell, int vocabulary, int embeddingDim, int rnnInputDim, int hidden, int layers,
                         int contextDim, RnnAttention attention, InitialState initialState,
                         int featureDim, boolean tied, float dropoutRate) {
        this.cell = cell;
        this.embeddingDim = embeddingDim;
        this.hidden = hidden;
        this.layers = layers;
        this.contextDim = contextDim;
        this.rnnInputDim = rnnInputDim;
        this.featureDim = featureDim;
        this.initialState = initialState;
        this.embedding = addChildBlock("embedding", Embeddings.create(vocabulary, embeddingDim));
        this.rnn = addChildBlock("rnn", cell.build(hidden, layers, dropoutRate));
        this.attention = addChildBlock("attention", attention);
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
        if (tied && featureDim != embeddingDim) {
            throw new IllegalArgumentException("tied embeddings need the output features (" + featureDim
                    + ") to be as wide as the embeddings (" + embeddingDim + ")");
        }
        this.output = addChildBlock("output", tied
                ? new OutputLayer(Embeddings.matrix(embedding), vocabulary)
                : new OutputLayer(featureDim, vocabulary));
        if (initialState == InitialState.LAST && contextDim != hidden) {
            throw new IllegalArgumentException("init_state \"last\" needs the encoder's final state (" + contextDim
                    + " wide) to match the decoder's hidden size (" + hidden + "); use \"bridge\"");
        }
        this.bridge = initialState == InitialState.BRIDGE
                ? addChildBlock("bridge", Linear.builder().setUnits(hidden).build())
                : null;
    }

    /** The state before the first target token. */
    public RnnState start(ParameterStore ps, EncoderOutput encoded, NDArray sourceLengths, boolean training) {
        AttendedSource attended = attention.prepare(ps, encoded.outputs(), encoded.outputs(), sourceLengths, training);
        NDArray h = initialHidden(ps, encoded.finals(), training);
        NDList state = new NDList(cell.stateTensors());
        for (int i = 0; i < cell.stateTensors(); i++) {
            state.add(h);
        }
        return new RnnState(state, firstAttentional(encoded.outputs()), attended, 0);
    }

    /** Luong's input feeding starts from a zero h̃; other decoders carry none. */
    protected NDArray firstAttentional(NDArray encoderOutputs) {
        return null;
    }

    private NDArray initialHidden(ParameterStore ps, NDArray finals, boolean training) {
        long batch = finals.getShape().get(1);
        if (initialState == InitialState.ZERO) {
            return finals.getManager().zeros(new Shape(layers, batch, hidden));
        }
        long encoderLayers = finals.getShape().get(0);
        NDArray perLayer = finals;
        if (encoderLayers != layers) {
            List<NDArray> picked = new ArrayList<>(layers);
            for (int l = 0; l < layers; l++) {
                picked.add(finals.get(Math.min(l, encoderLayers - 1)));
            }
            perLayer = NDArrays.stack(new NDList(picked));
        }
        return bridge == null ? perLayer : bridge.forward(ps, new NDList(perLayer), training).singletonOrThrow().tanh();
    }

    /** Teacher-forced logits [B, T, V] for {@code targetInput} [B, T]. */
    public NDArray logits(ParameterStore ps, RnnState start, NDArray targetInput, boolean training) {
        NDArray embedded = embed(ps, targetInput, training);
        long steps = targetInput.getShape().get(1);
        RnnState state = start;
        List<NDArray> features = new ArrayList<>((int) steps);
        for (int t = 0; t < steps; t++) {
            Step step = step(ps, state, embedded.get(":, {}:{}, :", t, t + 1), training);
            features.add(step.features());
            state = step.state();
        }
        return output.project(ps, NDArrays.concat(new NDList(features), 1), training);
    }

    /** One step from the previous tokens [B]: log-probabilities [B, V] and weights [B, S]. */
    public StepOutput decodeStep(ParameterStore ps, RnnState state, NDArray previous) {
        NDArray embedded = embed(ps, previous.reshape(-1, 1), false);
        Step step = step(ps, state, embedded, false);
        NDArray logProbs = output.project(ps, step.features(), false).logSoftmax(-1).squeeze(1);
        return new StepOutput(logProbs, step.state(), step.weights().squeeze(1));
    }

    /** One step on an embedded token [B, 1, E]; features [B, 1, featureDim], weights [B, 1, S]. */
    protected abstract Step step(ParameterStore ps, RnnState state, NDArray embedded, boolean training);

    protected NDArray embed(ParameterStore ps, NDArray tokens, boolean training) {
        NDArray e = embedding.forward(ps, new NDList(tokens), training).singletonOrThrow();
        return dropout.forward(ps, new NDList(e), training).singletonOrThrow();
    }

    /** Runs the RNN from {@code state.hidden()}; returns (outputs [B, T, H], new state tensors). */
    protected NDList runRnn(ParameterStore ps, NDArray input, NDList hiddenState, boolean training) {
        NDList in = new NDList(1 + hiddenState.size());
        in.add(input);
        in.addAll(hiddenState);
        return rnn.forward(ps, in, training);
    }

    protected static NDList stateOf(NDList rnnResult) {
        return new NDList(rnnResult.subList(1, rnnResult.size()));
    }

    protected AttentionResult attend(ParameterStore ps, NDArray query, RnnState state, boolean training) {
        return attention.attend(ps, query, state.attended(), state.step(), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("decoders run through the translation model");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape t = inputShapes[0];
        return new Shape[] {new Shape(t.get(0), t.get(1), embedding.getParameters().get("embedding").getShape().get(0))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, new Shape(1, 1));
        rnn.initialize(manager, dataType, new Shape(1, 1, rnnInputDim));
        attention.initialize(manager, dataType, new Shape(1, 1, hidden), new Shape(1, 1, contextDim),
                new Shape(1, 1, contextDim), new Shape(1));
        dropout.initialize(manager, dataType, new Shape(1, 1, embeddingDim));
        output.initialize(manager, dataType, new Shape(1, 1, featureDim));
        if (bridge != null) {
            bridge.initialize(manager, dataType, new Shape(1, 1, contextDim));
        }
    }
}
