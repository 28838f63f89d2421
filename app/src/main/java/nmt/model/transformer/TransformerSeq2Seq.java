package nmt.model.transformer;

import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import nmt.config.DecodingConfig;
import nmt.config.ModelConfig;
import nmt.model.AbstractSeq2Seq;
import nmt.model.DecoderState;
import nmt.model.Embeddings;
import nmt.model.OutputLayer;
import nmt.model.StepOutput;
import nmt.model.attention.KeyValueCache;
import nmt.model.attention.Masks;
import nmt.model.attention.MultiHeadAttention.KeyValues;

/**
 * The Transformer encoder–decoder (Vaswani et al. 2017) from DJL blocks: scaled embeddings plus
 * positions, N encoder and N decoder layers, pre- or post-norm, tied output projection, and
 * incremental decoding that computes only the newest position against a key/value cache.
 */
public final class TransformerSeq2Seq extends AbstractSeq2Seq {
    /**
     * Target positions decoded in one pass when decoding without the cache: like a training batch's
     * token count, a bound on that pass's memory (its attention scores grow with rows × positions²).
     */
    private static final long RECOMPUTED_POSITIONS = 4096;

    private final ModelConfig architecture;
    private final DecodingConfig decoding;
    /** k of relative positions; 0 with absolute ones. */
    private final int relativeMaxDistance;
    private final float embeddingScale;
    private final TrainableWordEmbedding sourceEmbedding;
    private final TrainableWordEmbedding targetEmbedding;
    private final PositionalEncoding sourcePositions;
    private final PositionalEncoding targetPositions;
    private final Dropout dropout;
    private final List<EncoderLayer> encoderLayers = new ArrayList<>();
    private final List<DecoderLayer> decoderLayers = new ArrayList<>();
    private final LayerNorm encoderNorm;
    private final LayerNorm decoderNorm;
    private final OutputLayer output;

    /** @param decoding whether to decode with the key/value cache, and which attention to report */
    public TransformerSeq2Seq(ModelConfig architecture, DecodingConfig decoding, int sourceVocabulary,
                              int targetVocabulary) {
        this.architecture = architecture;
        this.decoding = decoding;
        LayerShape layer = LayerShape.of(architecture);
        this.relativeMaxDistance = layer.relativeMaxDistance();
        int modelDim = architecture.hiddenSize();
        boolean learnedPositions = "learned".equals(architecture.positional());
        this.embeddingScale = (float) Math.sqrt(modelDim);
        sourceEmbedding = addChildBlock("source_embedding", Embeddings.create(sourceVocabulary, modelDim));
        targetEmbedding = architecture.sharedEmbeddings() ? sourceEmbedding
                : addChildBlock("target_embedding", Embeddings.create(targetVocabulary, modelDim));
        // With relative positions, self-attention alone knows where tokens are (as in Shaw et al.).
        sourcePositions = relativeMaxDistance > 0 ? null : addChildBlock("source_positions",
                new PositionalEncoding(modelDim, architecture.maxPositions(), learnedPositions));
        targetPositions = relativeMaxDistance > 0 ? null : addChildBlock("target_positions",
                new PositionalEncoding(modelDim, architecture.maxPositions(), learnedPositions));
        dropout = addChildBlock("dropout", Dropout.builder().optRate(layer.dropout()).build());
        for (int l = 0; l < architecture.layers(); l++) {
            encoderLayers.add(addChildBlock("encoder_" + l, new EncoderLayer(layer)));
        }
        for (int l = 0; l < architecture.layers(); l++) {
            decoderLayers.add(addChildBlock("decoder_" + l, new DecoderLayer(layer)));
        }
        boolean preNorm = architecture.preNorm();
        encoderNorm = preNorm ? addChildBlock("encoder_norm", LayerNorm.builder().axis(2).build()) : null;
        decoderNorm = preNorm ? addChildBlock("decoder_norm", LayerNorm.builder().axis(2).build()) : null;
        output = addChildBlock("output", architecture.tiedEmbeddings()
                ? new OutputLayer(Embeddings.matrix(targetEmbedding), targetVocabulary)
                : new OutputLayer(modelDim, targetVocabulary));
    }

    private NDArray embed(ParameterStore ps, TrainableWordEmbedding table, PositionalEncoding positions,
                          NDArray tokens, int first, boolean training) {
        NDArray e = table.forward(ps, new NDList(tokens), training).singletonOrThrow().mul(embeddingScale);
        NDArray placed = positions == null ? e : positions.add(ps, e, first, training);
        return dropout.forward(ps, new NDList(placed), training).singletonOrThrow();
    }

    private static NDArray norm(ParameterStore ps, LayerNorm norm, NDArray x, boolean training) {
        return norm == null ? x : norm.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** Encoder output [B, S, D] and the source padding mask [B, 1, 1, S]. */
    private NDList encodeSource(ParameterStore ps, NDArray source, NDArray sourceLengths, boolean training) {
        long length = source.getShape().get(1);
        NDArray padding = Masks.padding(sourceLengths, length).expandDims(1);
        NDArray selfBias = architecture.restrictedWindow() > 0
                ? padding.add(Masks.band(source.getManager(), length, architecture.restrictedWindow()))
                : padding;
        NDArray x = embed(ps, sourceEmbedding, sourcePositions, source, 0, training);
        for (EncoderLayer layer : encoderLayers) {
            x = layer.encode(ps, x, selfBias, training);
        }
        return new NDList(norm(ps, encoderNorm, x, training), padding);
    }

    private List<KeyValues> sourceKeyValues(ParameterStore ps, NDArray encoded, boolean training) {
        List<KeyValues> crossKeyValues = new ArrayList<>(decoderLayers.size());
        for (DecoderLayer layer : decoderLayers) {
            crossKeyValues.add(layer.sourceKeyValues(ps, encoded, training));
        }
        return crossKeyValues;
    }

    /**
     * Runs the decoder over {@code tokens} read from position {@code first} on.
     *
     * @param caches per layer, the keys and values of positions before {@code first}; null when
     *               {@code tokens} holds every position
     */
    private List<DecoderLayer.Result> decodeTarget(ParameterStore ps, NDArray tokens, int first,
                                                   List<KeyValueCache> caches, List<KeyValues> crossKeyValues,
                                                   NDArray sourceBias, boolean training) {
        long queries = tokens.getShape().get(1);
        // A single query is the last position and may see every key: no mask to build.
        NDArray selfBias = queries == 1 ? null : Masks.causal(tokens.getManager(), queries, first + queries);
        NDArray x = embed(ps, targetEmbedding, targetPositions, tokens, first, training);
        List<DecoderLayer.Result> results = new ArrayList<>(decoderLayers.size());
        for (int l = 0; l < decoderLayers.size(); l++) {
            DecoderLayer.Result r = decoderLayers.get(l).decode(ps, x, caches == null ? null : caches.get(l), selfBias,
                    crossKeyValues.get(l), sourceBias, training);
            results.add(r);
            x = r.output();
        }
        return results;
    }

    private NDArray features(ParameterStore ps, List<DecoderLayer.Result> results, boolean training) {
        return norm(ps, decoderNorm, results.get(results.size() - 1).output(), training);
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray source, NDArray sourceLengths, NDArray targetInput,
                           boolean training) {
        NDList encoded = encodeSource(ps, source, sourceLengths, training);
        List<DecoderLayer.Result> results = decodeTarget(ps, targetInput, 0, null,
                sourceKeyValues(ps, encoded.get(0), training), encoded.get(1), training);
        return output.project(ps, features(ps, results, training), training);
    }

    @Override
    public DecoderState encode(ParameterStore ps, NDArray source, NDArray sourceLengths, int maxSteps) {
        NDList encoded = encodeSource(ps, source, sourceLengths, false);
        List<KeyValueCache> caches = null;
        NDArray history = null;
        if (decoding.kvCache()) {
            caches = new ArrayList<>(decoderLayers.size());
            for (int l = 0; l < decoderLayers.size(); l++) {
                caches.add(KeyValueCache.empty(maxSteps));
            }
        } else {
            history = source.getManager().zeros(new Shape(source.getShape().get(0), 0), DataType.INT32);
        }
        return new TransformerState(encoded.get(1), sourceKeyValues(ps, encoded.get(0), false), caches, history, 0);
    }

    @Override
    public StepOutput step(ParameterStore ps, DecoderState decoderState, NDArray previousTokens) {
        TransformerState state = (TransformerState) decoderState;
        NDArray previous = previousTokens.toType(DataType.INT32, false).reshape(-1, 1);
        Newest newest;
        List<KeyValueCache> caches = null;
        NDArray history = null;
        if (state.caches() != null) {
            List<DecoderLayer.Result> results = decodeTarget(ps, previous, state.step(), state.caches(),
                    state.sourceKeyValues(), state.sourceBias(), false);
            caches = new ArrayList<>(results.size());
            for (DecoderLayer.Result r : results) {
                caches.add(r.cache());
            }
            newest = newest(ps, results);
        } else {
            history = state.history().concat(previous, 1);
            newest = recompute(ps, state, history);
        }
        NDArray logProbs = output.project(ps, newest.features(), false).logSoftmax(-1).squeeze(1);
        return new StepOutput(logProbs, new TransformerState(state.sourceBias(), state.sourceKeyValues(), caches,
                history, state.step() + 1), newest.attention());
    }

    /** The newest position's decoder output [B, 1, D] and the source attention reported for it [B, S]. */
    private record Newest(NDArray features, NDArray attention) {
    }

    private Newest newest(ParameterStore ps, List<DecoderLayer.Result> results) {
        NDArray features = lastPosition(features(ps, results, false));
        NDArray cross = results.get(decoding.attentionLayer() < 0 ? results.size() - 1 : decoding.attentionLayer()).crossWeights();
        long queries = cross.getShape().get(2);
        NDArray weights = queries == 1 ? cross.squeeze(2) : cross.get(":, :, {}, :", queries - 1);
        NDArray reported = decoding.attentionHead() < 0 ? weights.mean(new int[] {1}) : weights.get(":, {}, :",
                decoding.attentionHead());
        return new Newest(features, reported);
    }

    /**
     * Decodes every position of {@code history} again, for as many rows at a time as keep one pass
     * within {@link #RECOMPUTED_POSITIONS}; each group's arrays are freed before the next group runs.
     */
    private Newest recompute(ParameterStore ps, TransformerState state, NDArray history) {
        long rows = history.getShape().get(0);
        long group = Math.max(1, RECOMPUTED_POSITIONS / history.getShape().get(1));
        if (group >= rows) {
            return newest(ps, decodeTarget(ps, history, 0, null, state.sourceKeyValues(), state.sourceBias(), false));
        }
        NDManager manager = history.getManager();
        NDList features = new NDList();
        NDList attention = new NDList();
        for (long first = 0; first < rows; first += group) {
            try (NDManager scope = manager.newSubManager()) {
                String slice = first + ":" + Math.min(rows, first + group);
                NDArray tokens = history.get(slice);
                NDArray sourceBias = state.sourceBias().get(slice);
                NDList inputs = new NDList(tokens, sourceBias);
                List<KeyValues> crossKeyValues = new ArrayList<>(state.sourceKeyValues().size());
                for (KeyValues kv : state.sourceKeyValues()) {
                    crossKeyValues.add(new KeyValues(kv.keys().get(slice), kv.values().get(slice)));
                    inputs.add(crossKeyValues.get(crossKeyValues.size() - 1).keys());
                    inputs.add(crossKeyValues.get(crossKeyValues.size() - 1).values());
                }
                // What is computed from these views is made in the group's manager.
                inputs.attach(scope);
                Newest part = newest(ps, decodeTarget(ps, tokens, 0, null, crossKeyValues, sourceBias, false));
                part.features().attach(manager);
                part.attention().attach(manager);
                features.add(part.features());
                attention.add(part.attention());
            }
        }
        return new Newest(NDArrays.concat(features), NDArrays.concat(attention));
    }

    /** [B, T, ...] → [B, 1, ...], the newest position (as it is when the cache decodes one position). */
    private static NDArray lastPosition(NDArray x) {
        long length = x.getShape().get(1);
        return length == 1 ? x : x.get(":, {}:", length - 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape t = inputShapes[2];
        return new Shape[] {new Shape(t.get(0), t.get(1), Embeddings.matrix(targetEmbedding).getShape().get(0))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = new Shape(1, 1);
        Shape x = new Shape(1, 1, architecture.hiddenSize());
        sourceEmbedding.initialize(manager, dataType, ids);
        if (targetEmbedding != sourceEmbedding) {
            targetEmbedding.initialize(manager, dataType, ids);
        }
        if (sourcePositions != null) {
            sourcePositions.initialize(manager, dataType, x);
            targetPositions.initialize(manager, dataType, x);
        }
        dropout.initialize(manager, dataType, x);
        for (EncoderLayer layer : encoderLayers) {
            layer.initialize(manager, dataType, x, new Shape(1, 1, 1, 1));
        }
        for (DecoderLayer layer : decoderLayers) {
            layer.initialize(manager, dataType, x);
        }
        if (encoderNorm != null) {
            encoderNorm.initialize(manager, dataType, x);
            decoderNorm.initialize(manager, dataType, x);
        }
        output.initialize(manager, dataType, x);
    }
}
