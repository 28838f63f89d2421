package nmt.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.List;
import nmt.config.DecodingConfig;
import nmt.data.Vocabulary;
import nmt.model.Seq2Seq;

/**
 * A whole search as one DJL block, so that DJL's {@code Predictor} can run it: source ids and
 * lengths in, the best output ids out. DJL has no block for an autoregressive search.
 */
public final class SearchBlock extends AbstractBlock {
    private final Seq2Seq network;
    private final SearchOptions options;

    public SearchBlock(Seq2Seq network, DecodingConfig decoding) {
        this.network = addChildBlock("model", network);
        this.options = SearchOptions.of(decoding, 1);
    }

    /**
     * @param inputs source ids [B, S] (each row ending with {@code <eos>}) and source lengths [B]
     * @return output ids [B, T] without {@code <bos>}/{@code <eos>}, padded with {@code <pad>}
     */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        List<List<Hypothesis>> found = Search.run(network, ps, inputs.get(0), inputs.get(1), options);
        int width = Math.max(1, found.stream().mapToInt(h -> h.get(0).ids().length).max().orElse(0));
        int[] ids = new int[found.size() * width];
        Arrays.fill(ids, Vocabulary.PAD_ID);
        for (int b = 0; b < found.size(); b++) {
            int[] row = found.get(b).get(0).ids();
            System.arraycopy(row, 0, ids, b * width, row.length);
        }
        NDArray out = inputs.get(0).getManager().create(ids, new Shape(found.size(), width));
        return new NDList(out.toType(DataType.INT32, false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), -1)};
    }
}
