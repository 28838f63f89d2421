package nmt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import nmt.data.Vocabulary;

/**
 * Cross-entropy against a smoothed target: 1−ε on the reference token, ε spread evenly over the
 * other tokens except {@code <pad>}; padding positions contribute nothing, and the sum is divided
 * by the number of real target tokens. ε = 0 gives the plain negative log-likelihood.
 */
public final class LabelSmoothedCrossEntropy extends Loss {
    private final float epsilon;

    public LabelSmoothedCrossEntropy(double epsilon) {
        super("label_smoothed_cross_entropy");
        this.epsilon = (float) epsilon;
    }

    /** @return the mean loss per real target token, a scalar */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray targets = labels.head();
        NDArray mask = targets.neq(Vocabulary.PAD_ID).toType(DataType.FLOAT32, false);
        return tokenLosses(targets, predictions.head()).sum().div(mask.sum());
    }

    /**
     * @param targets [B, T] ids, {@code <pad>} where there is no token
     * @param logits  [B, T, V]
     * @return loss per position, 0 at padding, [B, T]
     */
    public NDArray tokenLosses(NDArray targets, NDArray logits) {
        NDArray logProbs = logits.logSoftmax(-1);
        NDArray mask = targets.neq(Vocabulary.PAD_ID).toType(DataType.FLOAT32, false);
        NDArray reference = logProbs.gather(targets.toType(DataType.INT64, false).expandDims(-1), -1).squeeze(-1);
        NDArray loss = reference.neg();
        if (epsilon > 0) {
            long vocabulary = logits.getShape().getLastDimension();
            NDArray others = logProbs.sum(new int[] {-1})
                    .sub(logProbs.get("..., {}", Vocabulary.PAD_ID))
                    .sub(reference);
            loss = loss.mul(1 - epsilon).sub(others.mul(epsilon / (vocabulary - 2)));
        }
        return loss.mul(mask);
    }
}
