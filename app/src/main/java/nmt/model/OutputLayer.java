package nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The projection to vocabulary logits. Written here because DJL's Linear cannot borrow its weight
 * from an Embedding, which weight tying (Press &amp; Wolf 2017) needs.
 */
public final class OutputLayer extends AbstractBlock {
    private final Parameter weight;
    private final Parameter bias;

    /** A projection of its own, [vocabulary, inputDim]. */
    public OutputLayer(int inputDim, int vocabulary) {
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabulary, inputDim)).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(vocabulary)).build());
    }

    /** A projection that shares the embedding matrix (owned and saved by the embedding block). */
    public OutputLayer(Parameter embedding, int vocabulary) {
        this.weight = embedding;
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(vocabulary)).build());
    }

    public NDArray project(ParameterStore ps, NDArray input, boolean training) {
        NDArray w = ps.getValue(weight, input.getDevice(), training);
        NDArray b = ps.getValue(bias, input.getDevice(), training);
        return Linear.linear(input, w, b).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(project(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].slice(0, inputShapes[0].dimension() - 1).add(bias.getShape().get(0))};
    }
}
