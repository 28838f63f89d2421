package nmt.model.transformer;

import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import nmt.InputError;
import nmt.model.Embeddings;

/**
 * Adds position information to embeddings: the fixed sinusoids of Vaswani et al. (a constant
 * table, so no parameters) or a learned embedding per position (a DJL embedding block).
 */
public final class PositionalEncoding extends AbstractBlock {
    private final int modelDim;
    private final int maxPositions;
    private final float[] sinusoids;
    private final TrainableWordEmbedding learned;

    public PositionalEncoding(int modelDim, int maxPositions, boolean learnedPositions) {
        this.modelDim = modelDim;
        this.maxPositions = maxPositions;
        if (learnedPositions) {
            this.learned = addChildBlock("positions", Embeddings.create(maxPositions, modelDim));
            this.sinusoids = null;
        } else {
            this.learned = null;
            this.sinusoids = new float[maxPositions * modelDim];
            for (int pos = 0; pos < maxPositions; pos++) {
                for (int i = 0; i < modelDim; i += 2) {
                    double angle = pos / Math.pow(10000, (double) i / modelDim);
                    sinusoids[pos * modelDim + i] = (float) Math.sin(angle);
                    if (i + 1 < modelDim) {
                        sinusoids[pos * modelDim + i + 1] = (float) Math.cos(angle);
                    }
                }
            }
        }
    }

    /**
     * @param x     [B, T, D] scaled embeddings
     * @param first position of x's first row (the step, when decoding incrementally)
     */
    public NDArray add(ParameterStore ps, NDArray x, int first, boolean training) {
        int length = (int) x.getShape().get(1);
        if (first + length > maxPositions) {
            throw new InputError("a sequence of " + (first + length) + " tokens is longer than model.max_positions="
                    + maxPositions);
        }
        NDManager manager = x.getManager();
        NDArray table;
        if (learned == null) {
            float[] rows = new float[length * modelDim];
            System.arraycopy(sinusoids, first * modelDim, rows, 0, rows.length);
            table = manager.create(rows, new Shape(1, length, modelDim));
        } else {
            NDArray ids = manager.arange(first, first + length, 1, DataType.INT32).reshape(1, length);
            table = learned.forward(ps, new NDList(ids), training).singletonOrThrow();
        }
        return x.add(table);
    }

    /** What is added at positions 0..max_positions−1, [max_positions, D] row-major (for export). */
    public float[] table() {
        return learned == null ? sinusoids.clone()
                : learned.getParameters().get("embedding").getArray().toFloatArray();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(add(ps, inputs.singletonOrThrow(), 0, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (learned != null) {
            learned.initialize(manager, dataType, new Shape(1, 1));
        }
    }
}
