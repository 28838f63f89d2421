package nmt.model.attention;

import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;
import nmt.model.Embeddings;

/**
 * Relative position representations (Shaw, Uszkoreit and Vaswani 2018): a learned key vector and
 * a learned value vector, shared by the heads, for each clipped distance j − i in [−k, k]
 * between query i and key j. Scores become q_i·(k_j + a^K_ij)/√d_k and outputs
 * Σ_j α_ij (v_j + a^V_ij). Positions are absolute indices, so a cached decoding step (query at
 * position t, keys 0..t) sees the same distances as decoding the whole prefix.
 */
public final class RelativePositions extends AbstractBlock {
    private final int maxDistance;
    private final int headDim;
    private final TrainableWordEmbedding keyTable;
    private final TrainableWordEmbedding valueTable;

    public RelativePositions(int maxDistance, int headDim) {
        this.maxDistance = maxDistance;
        this.headDim = headDim;
        keyTable = addChildBlock("keys", Embeddings.create(2 * maxDistance + 1, headDim));
        valueTable = addChildBlock("values", Embeddings.create(2 * maxDistance + 1, headDim));
    }

    /** Table rows for queries at {@code first..first+queries−1} against keys 0..keys−1: clip(j − i, −k, k) + k. */
    int[] buckets(int first, int queries, int keys) {
        int[] ids = new int[queries * keys];
        for (int i = 0; i < queries; i++) {
            for (int j = 0; j < keys; j++) {
                int distance = Math.max(-maxDistance, Math.min(maxDistance, j - (first + i)));
                ids[i * keys + j] = distance + maxDistance;
            }
        }
        return ids;
    }

    /** The key and value vectors of every (query, key) pair, each [Tq, S, d_k]. */
    private NDList lookup(ParameterStore ps, NDManager manager, int first, int queries, int keys, boolean training) {
        NDArray ids = manager.create(buckets(first, queries, keys), new Shape(queries, keys));
        return new NDList(keyTable.forward(ps, new NDList(ids), training).singletonOrThrow(),
                valueTable.forward(ps, new NDList(ids), training).singletonOrThrow());
    }

    /**
     * Scaled dot-product attention with the relative terms, per head.
     *
     * @param q       [B, H, Tq, d_k], the first query at absolute position {@code first}
     * @param keys    [B, H, S, d_k] at positions 0..S−1; values likewise
     * @param dropout applied to the weights before they mix the values
     * @return the heads' contexts [B, H, Tq, d_k] and weights [B, H, Tq, S]
     */
    AttentionResult attend(ParameterStore ps, NDArray q, NDArray keys, NDArray values, NDArray bias, int first,
                           boolean training, UnaryOperator<NDArray> dropout) {
        long b = q.getShape().get(0);
        long h = q.getShape().get(1);
        int queries = (int) q.getShape().get(2);
        int length = (int) keys.getShape().get(2);
        NDList tables = lookup(ps, q.getManager(), first, queries, length, training);
        // q·a^K for each query position: [Tq, B·H, d_k] × [Tq, d_k, S] → [Tq, B·H, S] → [B, H, Tq, S].
        NDArray byQuery = q.transpose(2, 0, 1, 3).reshape(queries, b * h, headDim);
        NDArray relative = byQuery.matMul(tables.get(0).transpose(0, 2, 1)).reshape(queries, b, h, length)
                .transpose(1, 2, 0, 3);
        NDArray scores = q.matMul(keys.transpose(0, 1, 3, 2)).add(relative).mul(1 / Math.sqrt(headDim));
        NDArray weights = Masks.softmax(scores, bias);
        NDArray dropped = dropout.apply(weights);
        // Σ_j α_ij a^V_ij: [Tq, B·H, S] × [Tq, S, d_k] → [Tq, B·H, d_k] → [B, H, Tq, d_k].
        NDArray weightsByQuery = dropped.transpose(2, 0, 1, 3).reshape(queries, b * h, length);
        NDArray relativeValues = weightsByQuery.matMul(tables.get(1)).reshape(queries, b, h, headDim)
                .transpose(1, 2, 0, 3);
        return new AttentionResult(dropped.matMul(values).add(relativeValues), weights);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("relative positions run inside multi-head attention");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        keyTable.initialize(manager, dataType, new Shape(1, 1));
        valueTable.initialize(manager, dataType, new Shape(1, 1));
    }
}
