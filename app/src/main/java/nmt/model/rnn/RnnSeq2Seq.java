package nmt.model.rnn;

import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import nmt.model.AbstractSeq2Seq;
import nmt.model.DecoderState;
import nmt.model.Embeddings;
import nmt.model.StepOutput;

/** Source embedding → {@link RnnEncoder} → an attentional {@link RnnDecoder}. */
public final class RnnSeq2Seq extends AbstractSeq2Seq {
    private final TrainableWordEmbedding sourceEmbedding;
    private final Dropout dropout;
    private final RnnEncoder encoder;
    private final RnnDecoder decoder;
    private final int embeddingDim;

    public RnnSeq2Seq(int sourceVocabulary, int embeddingDim, RnnEncoder encoder, RnnDecoder decoder,
                               float dropoutRate) {
        this.embeddingDim = embeddingDim;
        this.sourceEmbedding = addChildBlock("source_embedding", Embeddings.create(sourceVocabulary, embeddingDim));
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
        this.encoder = addChildBlock("encoder", encoder);
        this.decoder = addChildBlock("decoder", decoder);
    }

    private RnnState start(ParameterStore ps, NDArray source, NDArray sourceLengths, boolean training) {
        NDArray embedded = sourceEmbedding.forward(ps, new NDList(source), training).singletonOrThrow();
        embedded = dropout.forward(ps, new NDList(embedded), training).singletonOrThrow();
        EncoderOutput encoded = encoder.encode(ps, embedded, sourceLengths, training);
        return decoder.start(ps, encoded, sourceLengths, training);
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray source, NDArray sourceLengths, NDArray targetInput,
                           boolean training) {
        return decoder.logits(ps, start(ps, source, sourceLengths, training), targetInput, training);
    }

    @Override
    public DecoderState encode(ParameterStore ps, NDArray source, NDArray sourceLengths, int maxSteps) {
        return start(ps, source, sourceLengths, false);
    }

    @Override
    public StepOutput step(ParameterStore ps, DecoderState state, NDArray previousTokens) {
        return decoder.decodeStep(ps, (RnnState) state, previousTokens);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return decoder.getOutputShapes(new Shape[] {inputShapes[2]});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        sourceEmbedding.initialize(manager, dataType, new Shape(1, 1));
        dropout.initialize(manager, dataType, new Shape(1, 1, embeddingDim));
        encoder.initialize(manager, dataType, new Shape(1, 1, embeddingDim), new Shape(1));
        decoder.initialize(manager, dataType, new Shape(1, 1));
    }
}
